import Foundation
import Testing
@testable import OutcomeDaemon
import OutcomeEngine
import TestSupport

struct RuleTestSuiteTests {
    @Test func theExampleRuleTestsPass() async throws {
        let suite = try RuleTestSuite.load(path: Paths.config("rules-test.yaml"))
        let config = try Config.load(path: try #require(suite.configPath), mode: .rules)
        let results = suite.run(config.rules)
        #expect(results.count >= 7)
        let failures = results.filter { !$0.passed }.map(\.line)
        #expect(failures.isEmpty)
    }

    @Test func aFailingTestSaysWhatWasExpectedAndWhatCameOut() async throws {
        let directory = try TemporaryDirectory()
        try """
            outcomes: [interested, callback]
            rules:
              - {name: lead, outcome: interested, when: {is_lead: true}}
            """.write(toFile: directory.path + "/rules.yaml", atomically: true, encoding: .utf8)
        try """
            config: rules.yaml
            tests:
              - name: wrong outcome
                event: {data: {id: c1, is_lead: true}}
                expect: callback
                expect_rule: cb
              - name: expected nothing
                event: {data: {id: c2, is_lead: true}}
                expect: null
              - name: expected something
                event: {id: c3}
                expect: interested
              - name: right
                event: {id: c4, is_lead: true}
                expect: interested
            """.write(toFile: directory.path + "/tests.yaml", atomically: true, encoding: .utf8)
        let suite = try RuleTestSuite.load(path: directory.path + "/tests.yaml")
        let config = try Config.load(path: try #require(suite.configPath), mode: .rules)
        #expect(suite.run(config.rules).map(\.line) == [
            "FAIL wrong outcome: expected callback (rule cb), got interested (rule lead)",
            "FAIL expected nothing: expected null, got interested (rule lead)",
            "FAIL expected something: expected interested, got null (rule none)",
            "PASS right",
        ])
    }

    @Test func aMissingEventFileIsReportedAtItsLineAsARuntimeError() async throws {
        let directory = try TemporaryDirectory()
        try "tests:\n  - name: t\n    event_file: nope.json\n    expect: null\n".write(toFile: directory.path + "/t.yaml", atomically: true, encoding: .utf8)
        #expect(throws: RuleTestFileError(location: SourceLocation(file: directory.path + "/t.yaml", line: 3, column: 17), test: "t", path: directory.path + "/nope.json")) {
            try RuleTestSuite.load(path: directory.path + "/t.yaml")
        }
    }

    @Test(arguments: [
        ("    expect: intrested\n", #"t.yaml:4:13: test "t": expect "intrested" is not in outcomes [interested, callback]; did you mean "interested"?"#),
        ("    expect: interested\n    expect_rule: leed\n", #"t.yaml:5:18: test "t": expect_rule "leed" is not a rule of the config; did you mean "lead"?"#),
    ])
    func anExpectationTheRulesCannotMeetIsAnErrorAtItsLine(lines: String, message: String) throws {
        let directory = try TemporaryDirectory()
        let path = directory.path + "/t.yaml"
        try ("tests:\n  - name: t\n    event: {id: c1, is_lead: true}\n" + lines).write(toFile: path, atomically: true, encoding: .utf8)
        let suite = try RuleTestSuite.load(path: path)
        let rules = RuleSet(outcomes: ["interested", "callback"], rules: [Rule(name: "lead", outcome: "interested", when: .field(FieldPath("is_lead")!, .equals(.bool(true))))])
        #expect {
            try suite.validate(against: rules)
        } throws: { error in
            (error as? ConfigError)?.description == directory.path + "/" + message
        }
    }
}
