import Foundation
import OutcomeDaemon
import OutcomeEngine
import Testing
import TestSupport

/// outcomed against an independent reading of SPEC §3 and §5: `Tests/Reference/spec3.py`
/// generates 2,000 events and 100 phrase rules from a fixed seed and computes, in plain Python,
/// what `replay` must print for them.
@Suite(.timeLimit(.minutes(2)))
struct SpecReferenceTests {
    static let reference = Command.root + "/Tests/Reference/spec3.py"

    struct Generated {
        let directory: TemporaryDirectory
        var events: String { directory.path + "/events.jsonl" }
        var rules: String { directory.path + "/rules.yaml" }
        var expected: [String: Any]
    }

    static func generate() async throws -> Generated {
        let directory = try TemporaryDirectory()
        let result = try await Command.run("/usr/bin/python3", [reference, directory.path, "--seed", "13", "--events", "2000", "--rules", "100"])
        guard result.status == 0 else { throw ReferenceError.failed(result.stderr) }
        let data = try Data(contentsOf: URL(fileURLWithPath: directory.path + "/expected.json"))
        let expected = try JSONSerialization.jsonObject(with: data) as? [String: Any] ?? [:]
        return Generated(directory: directory, expected: expected)
    }

    enum ReferenceError: Error { case failed(String) }

    static func transitions(_ report: [String: Any]) -> [String: [String: Any]] {
        let rows = report["transitions"] as? [[String: Any]] ?? []
        return Dictionary(rows.map { row in ("\(row["from"] as? String ?? "null") -> \(row["to"] as? String ?? "null")", row) }) { first, _ in first }
    }

    @Test func replayAgreesWithThePythonReadingOfTheSpec() async throws {
        let generated = try await Self.generate()
        let exercised = try #require(generated.expected["exercised"] as? [String: Int])
        // The set is only a check if it hits what it is meant to check.
        #expect(exercised["negated", default: 0] >= 100, "\(exercised)")
        #expect(exercised["other_speaker", default: 0] >= 100, "\(exercised)")
        #expect(exercised["shadowed", default: 0] >= 100, "\(exercised)")

        let result = try await Command.run("outcomed", ["replay", "--events", generated.events, "--config", generated.rules, "--json"])
        #expect(result.status == 0, "\(result.stderr)")
        let got = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
        #expect(got["calls"] as? Int == 2000)
        #expect(got["calls"] as? Int == generated.expected["calls"] as? Int)
        #expect(got["changed"] as? Int == generated.expected["changed"] as? Int)

        let expectedRows = Self.transitions(generated.expected), gotRows = Self.transitions(got)
        #expect(Set(gotRows.keys) == Set(expectedRows.keys))
        for (key, expected) in expectedRows {
            #expect(gotRows[key]?["count"] as? Int == expected["count"] as? Int, "\(key)")
            #expect(gotRows[key]?["examples"] as? [String] == expected["examples"] as? [String], "\(key)")
        }
        let expectedRules = generated.expected["rules"] as? [[String: Any]] ?? []
        let gotRules = got["rules"] as? [[String: Any]] ?? []
        #expect(gotRules.map { $0["name"] as? String } == expectedRules.map { $0["name"] as? String })
        #expect(gotRules.map { $0["after"] as? Int } == expectedRules.map { $0["after"] as? Int })
        #expect(gotRules.allSatisfy { $0["before"] is NSNull })
        #expect(expectedRules.filter { ($0["after"] as? Int ?? 0) > 0 }.count >= 30)
    }

    @Test func everyExplanationDecidesAsDecideDoes() async throws {
        let generated = try await Self.generate()
        let rules = try Config.load(path: generated.rules, mode: .rules).rules
        var count = 0
        var disagreements: [String] = []
        _ = try BacktestSource.exported(path: generated.events).forEach(warn: { Issue.record("\($0)") }) { item in
            count += 1
            let explanation = rules.explain(item.event)
            let decision = rules.decide(item.event)
            if explanation.decision != decision || explanation.rules.map(\.matched) != rules.matches(item.event) {
                disagreements.append("\(item.event.callID): explain \(explanation.decision), decide \(decision)")
            }
        }
        #expect(count == 2000)
        #expect(disagreements.isEmpty, "\(disagreements.prefix(5))")
    }
}
