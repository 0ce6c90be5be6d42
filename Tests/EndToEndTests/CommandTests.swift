import Foundation
import Testing
import TestSupport

/// The test harness's own process runner, which every CLI test relies on.
struct CommandTests {
    @Test(.timeLimit(.minutes(1)))
    func aChildThatFillsStderrBeforeStdoutDoesNotDeadlock() async throws {
        let result = try await Command.run("/bin/sh", ["-c", "head -c 300000 /dev/zero | tr '\\000' x >&2; echo done"])
        #expect(result.status == 0)
        #expect(result.stdout == "done\n")
        #expect(result.stderr.utf8.count == 300_000)
    }

    @Test(.timeLimit(.minutes(1)))
    func standardInputLargerThanAPipeReachesTheChild() async throws {
        let input = Data(repeating: UInt8(ascii: "y"), count: 300_000)
        let result = try await Command.run("/bin/sh", ["-c", "cat"], stdin: input)
        #expect(result.stdout.utf8.count == 300_000)
    }
}
