import Testing
import OutcomeFuzzing

/// The intake fuzz target's path (parse, normalise, decide), run on its seeds and on every input
/// that once broke it, in the normal suite.
struct IntakeFuzzTargetTests {
    static let target = Result { try IntakeFuzzTarget(configPath: Paths.config("outcomed.yaml")) }

    @Test func theSeedsAndRegressionsAreThere() {
        #expect(FuzzInputs.files("intake").count >= 9)
    }

    @Test(arguments: FuzzInputs.files("intake"))
    func keepsItsPromises(file: String) async throws {
        let verdict = try Self.target.get().run(try FuzzInputs.bytes(file))
        #expect(verdict.problem == nil, "\(file): \(verdict)")
    }

    @Test func decidesAsIntakeDoes() async throws {
        let verdict = try Self.target.get().run(try FuzzInputs.bytes("Fuzz/corpus/intake/commvoice-bare-lead.json"))
        guard case .accepted(let summary) = verdict else {
            Issue.record("got \(verdict)")
            return
        }
        #expect(summary.hasSuffix(": queued interested"))
    }

    @Test(arguments: [
        ("{", "invalid JSON at byte 1: "),
        ("[]", "body is not a JSON object"),
        (#"{"hello":1}"#, "no call id: "),
    ])
    func refusesWhatIntakeRefuses(body: String, error: String) throws {
        let verdict = try Self.target.get().run(Array(body.utf8))
        guard case .rejected(let message) = verdict else {
            Issue.record("got \(verdict)")
            return
        }
        #expect(message.hasPrefix(error))
    }

    @Test func ignoresWhatIntakeIgnores() async throws {
        #expect(try Self.target.get().run(try FuzzInputs.bytes("Fuzz/corpus/intake/vapi-status-update.json")) == .accepted("ignored"))
    }
}
