import Foundation
import FoundationXML
import Testing
import TestSupport

struct CLITests {
    static let config = Command.root + "/config/outcomed.yaml"

    @Test func checkPrintsAOneLineSummaryAndExitsZero() async throws {
        let result = try await Command.run("outcomed", ["check", "--config", Self.config])
        #expect(result.status == 0)
        let lines = result.stdout.split(separator: "\n")
        #expect(lines.count == 1)
        #expect(lines.first?.contains("ok: 8 rules, 6 outcomes") == true)
        #expect(result.stderr.contains("warning: api.token_file: not checked: CREDENTIALS_DIRECTORY is unset"))
    }

    @Test func checkReadsTheConfigFromTheEnvironment() async throws {
        let result = try await Command.run("outcomed", ["check"], environment: ["OUTCOMED_CONFIG": Self.config])
        #expect(result.status == 0)
    }

    @Test func aTypoInAKeyExitsOneWithThePositionAndASuggestion() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("outcomed-cli-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let text = try String(contentsOfFile: Self.config, encoding: .utf8).replacingOccurrences(of: "  max_attempts: 12", with: "  max_atempts: 12")
        let file = directory + "/typo.yaml"
        try text.write(toFile: file, atomically: true, encoding: .utf8)
        let line = text.components(separatedBy: "\n").firstIndex { $0.contains("max_atempts") }.map { $0 + 1 } ?? 0
        let result = try await Command.run("outcomed", ["check", "--config", file])
        #expect(result.status == 1)
        #expect(result.stderr.contains("\(file):\(line):5: unknown key \"max_atempts\" in queue.retry; did you mean \"max_attempts\"?"))
    }

    @Test func aMissingConfigIsAFailedCheck() async throws {
        let result = try await Command.run("outcomed", ["check", "--config", "/nonexistent/outcomed.yaml"])
        #expect(result.status == 1)
        #expect(result.stderr.contains("/nonexistent/outcomed.yaml: cannot read the config file"))
    }

    @Test func theExampleRuleTestsPass() async throws {
        let result = try await Command.run("outcomed", ["test", "config/rules-test.yaml"])
        #expect(result.status == 0)
        #expect(result.stdout.contains("PASS commvoice bare, lead flag"))
        let lines = result.stdout.split(separator: "\n")
        #expect(lines.dropLast().last?.hasSuffix(" passed, 0 failed") == true)
        #expect(lines.last == "coverage: 8 of 8 rules matched by a test")
    }

    @Test func minCoverageFailsOnAnUntestedRuleAndNamesIt() async throws {
        let directory = try TemporaryDirectory()
        try """
            outcomes: [interested, callback]
            rules:
              - {name: lead, outcome: interested, when: {is_lead: true}}
              - {name: shadowed, outcome: callback, when: {is_lead: true}}
              - {name: untested, outcome: callback, when: {transcript: {any: [call me back]}}}
            """.write(toFile: directory.path + "/rules.yaml", atomically: true, encoding: .utf8)
        try """
            config: rules.yaml
            tests:
              - {name: lead, event: {id: c1, is_lead: true}, expect: interested}
              - {name: nothing, event: {id: c2}, expect: null}
            """.write(toFile: directory.path + "/tests.yaml", atomically: true, encoding: .utf8)
        try "config: rules.yaml\ntests:\n  - {name: gone, event_file: gone.json, expect: null}\n".write(toFile: directory.path + "/missing.yaml", atomically: true, encoding: .utf8)
        let unreadable = try await Command.run("outcomed", ["test", directory.path + "/missing.yaml"])
        #expect(unreadable.status == 3, "an event file that cannot be read is a runtime error, as the README says")
        #expect(unreadable.stderr.contains(#"missing.yaml:3:30: test "gone": \#(directory.path)/gone.json: cannot read the event file"#), "\(unreadable.stderr)")
        try "config: rules.yaml\ntests:\n  - {name: typo, event: {id: c1}, expect: intrested}\n".write(toFile: directory.path + "/typo.yaml", atomically: true, encoding: .utf8)
        let typo = try await Command.run("outcomed", ["test", directory.path + "/typo.yaml"])
        #expect(typo.status == 1)
        #expect(typo.stderr.contains(#"did you mean "interested"?"#), "\(typo.stderr)")
        let failing = try await Command.run("outcomed", ["test", directory.path + "/tests.yaml", "--min-coverage", "100"])
        #expect(failing.status == 1)
        #expect(failing.stdout.contains("coverage: 2 of 3 rules matched by a test\nuncovered: untested\n"))
        #expect(failing.stderr.contains("below --min-coverage 100%; uncovered: untested"))
        let enough = try await Command.run("outcomed", ["test", directory.path + "/tests.yaml", "--min-coverage", "66"])
        #expect(enough.status == 0)
        #expect(try await Command.run("outcomed", ["test", directory.path + "/tests.yaml", "--min-coverage", "101"]).status == 2)
    }

    @Test func junitIsWrittenAndRunSelectsTestsByName() async throws {
        let directory = try TemporaryDirectory()
        let junit = directory.path + "/junit.xml"
        let result = try await Command.run("outcomed", ["test", "config/rules-test.yaml", "--run", "^vapi ", "--junit", junit])
        #expect(result.status == 0)
        let names = result.stdout.split(separator: "\n").filter { $0.hasPrefix("PASS ") }
        #expect(names.count == 7)
        #expect(names.allSatisfy { $0.hasPrefix("PASS vapi ") })
        let document = try XMLDocument(contentsOf: URL(fileURLWithPath: junit))
        #expect(try document.nodes(forXPath: "/testsuites/testsuite/testcase").count == 7)
        #expect(try document.nodes(forXPath: "//failure").isEmpty)

        let none = try await Command.run("outcomed", ["test", "config/rules-test.yaml", "--run", "no such test"])
        #expect(none.status == 1)
        #expect(none.stderr.contains("no test name matches --run"))
        #expect(try await Command.run("outcomed", ["test", "config/rules-test.yaml", "--run", "("]).status == 2)
    }

    @Test(arguments: [
        ("commvoice-envelope-not-interested.json", "not-interested", "queued not_interested"),
        ("commvoice-bare-lead.json", "lead", "queued interested"),
        ("commvoice-envelope-voicemail-numeric-id.json", "voicemail", "queued voicemail"),
        ("commvoice-envelope-dnc-with-logs.json", "do-not-call", "queued do_not_call"),
        ("vapi-end-of-call-report-callback.json", "callback", "queued callback"),
        ("retell-call-analyzed-wrong-number.json", "wrong-number", "queued wrong_number"),
        ("retell-call-analyzed-custom-analysis.json", "analysis-callback", "queued callback"),
        ("vapi-end-of-call-report-structured-data.json", "analysis-interested", "queued interested"),
    ])
    func explainSaysWhyForEachFixture(file: String, rule: String, decision: String) async throws {
        let result = try await Command.run("outcomed", ["explain", "config/examples/events/\(file)", "--config", Self.config])
        #expect(result.status == 0)
        let lines = result.stdout.split(separator: "\n").map(String.init)
        #expect(lines.count == 10)
        #expect(lines.contains { $0.contains(" \(rule) ") && $0.contains("MATCH") })
        #expect(lines.filter { $0.contains("no match") }.count == 7)
        #expect(lines.last == "decision: \(decision) (rule \(rule))")
    }

    @Test func explainJSONReadsStandardInput() async throws {
        let event = try Data(contentsOf: URL(fileURLWithPath: Command.root + "/config/examples/events/commvoice-bare-lead.json"))
        let result = try await Command.run("outcomed", ["explain", "-", "--json", "--config", Self.config], stdin: event)
        #expect(result.status == 0)
        let object = try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any]
        #expect(object?["action"] as? String == "queued")
        #expect(object?["outcome"] as? String == "interested")
        #expect(object?["rule"] as? String == "lead")
        #expect((object?["rules"] as? [[String: Any]])?.count == 8)
    }

    @Test func explainOfInvalidJSONSaysWhere() async throws {
        let result = try await Command.run("outcomed", ["explain", "-", "--config", Self.config], stdin: Data(#"{"id": "x",}"#.utf8))
        #expect(result.status == 1)
        #expect(result.stderr.contains("stdin: invalid JSON at byte 11: expected a member name"))
    }

    @Test(arguments: [
        (["check", "--bogus"], Int32(2)),
        (["frobnicate"], 2),
        (["test"], 2),
        (["explain", "/nonexistent.json", "--config", "config/outcomed.yaml"], 3),
        (["version"], 0),
        (["--help"], 0),
    ] as [([String], Int32)])
    func exitCodes(arguments: [String], status: Int32) async throws {
        #expect(try await Command.run("outcomed", arguments).status == status)
    }
}
