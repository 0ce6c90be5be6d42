import Testing
import OutcomeFuzzing

/// The config fuzz target's path (load as `outcomed check` does, then decide the example events),
/// run on its seeds and on every input that once broke it, in the normal suite.
struct ConfigFuzzTargetTests {
    static let target = Result { try ConfigFuzzTarget(eventDirectory: Paths.config("examples/events")) }

    @Test func theSeedsAndRegressionsAreThere() async throws {
        #expect(FuzzInputs.files("config").count >= 4)
        #expect(try Self.target.get().events.count >= 8)
    }

    @Test(arguments: FuzzInputs.files("config"))
    func keepsItsPromises(file: String) async throws {
        let verdict = try Self.target.get().run(try FuzzInputs.bytes(file))
        #expect(verdict.problem == nil, "\(file): \(verdict)")
    }

    @Test(arguments: ["outcomed.yaml", "local.yaml", "every-key.yaml"])
    func theConfigSeedsLoad(name: String) async throws {
        let verdict = try Self.target.get().run(try FuzzInputs.bytes("Fuzz/corpus/config/" + name))
        guard case .accepted(let summary) = verdict else {
            Issue.record("got \(verdict)")
            return
        }
        #expect(summary.hasPrefix("fuzz.yaml: ok: "))
    }

    @Test(arguments: [
        ([0xFF, 0xFE], "not UTF-8"),
        (Array("outcomes: [a\n".utf8), "fuzz.yaml:2:1: YAML syntax error"),
        (Array("".utf8), "fuzz.yaml:1:1: the config file is empty"),
    ])
    func refusesWhatCheckRefuses(bytes: [UInt8], error: String) throws {
        let verdict = try Self.target.get().run(bytes)
        guard case .rejected(let message) = verdict else {
            Issue.record("got \(verdict)")
            return
        }
        #expect(message.hasPrefix(error))
    }
}
