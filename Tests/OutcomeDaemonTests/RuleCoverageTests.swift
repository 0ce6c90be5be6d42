import Foundation
import FoundationXML
import Testing
import TestSupport
@testable import OutcomeDaemon

struct RuleCoverageTests {
    static let rules = """
        outcomes: [interested, callback]
        rules:
          - {name: lead, outcome: interested, when: {is_lead: true}}
          - {name: shadowed-but-matched, outcome: callback, when: {is_lead: true}}
          - {name: shadowed-never-matched, outcome: callback, when: {all: [{is_lead: true}, {is_vip: true}]}}
          - {name: callback, outcome: callback, when: {transcript: {speaker: customer, any: [call me back]}}}
        """

    func run(_ tests: String) throws -> (results: [RuleTestResult], coverage: RuleCoverage) {
        let directory = try TemporaryDirectory()
        try Self.rules.write(toFile: directory.path + "/rules.yaml", atomically: true, encoding: .utf8)
        try ("config: rules.yaml\ntests:\n" + tests).write(toFile: directory.path + "/tests.yaml", atomically: true, encoding: .utf8)
        let suite = try RuleTestSuite.load(path: directory.path + "/tests.yaml")
        let config = try Config.load(path: try #require(suite.configPath), mode: .rules)
        let results = suite.run(config.rules)
        return (results, RuleCoverage(rules: config.rules, results: results))
    }

    @Test func aRuleCountsWhenItMatchedEvenIfAnEarlierRuleWon() async throws {
        let (results, coverage) = try run("""
              - {name: lead, event: {id: c1, is_lead: true}, expect: interested}
              - {name: agent says it, event: {id: c2, chat: "AI: call me back?"}, expect: null}
            """)
        #expect(results.map(\.matchedRules) == [["lead", "shadowed-but-matched"], []])
        #expect(coverage.covered == 2)
        #expect(coverage.uncovered == ["shadowed-never-matched", "callback"])
        #expect(coverage.lines == [
            "coverage: 2 of 4 rules matched by a test",
            "uncovered: shadowed-never-matched",
            "uncovered: callback",
        ])
        #expect(coverage.percent == 50)
        #expect(coverage.meets(50))
        #expect(!coverage.meets(50.1))
    }

    @Test func aFailingTestStillCoversTheRulesItsEventMatched() async throws {
        let (results, coverage) = try run("""
              - {name: wrong, event: {id: c1, is_lead: true, is_vip: true, chat: "User: call me back"}, expect: callback}
            """)
        #expect(results.map(\.passed) == [false])
        #expect(coverage.uncovered.isEmpty)
        #expect(coverage.meets(100))
    }

    @Test func junitIsValidXMLWithOneTestcasePerTestAndTheFailText() async throws {
        let (results, coverage) = try run("""
              - {name: "lead <&> \\"quoted\\" 'apostrophe'", event: {id: c1, is_lead: true}, expect: interested}
              - {name: "fails\\u0001 here", event: {id: c2}, expect: callback}
            """)
        let xml = JUnitReport(suite: "tests & more.yaml", results: results, coverage: coverage).xml
        let document = try XMLDocument(xmlString: xml)
        let cases = try document.nodes(forXPath: "/testsuites/testsuite/testcase").compactMap { $0 as? XMLElement }
        #expect(cases.map { $0.attribute(forName: "name")?.stringValue } == ["lead <&> \"quoted\" 'apostrophe'", "fails\u{FFFD} here"])
        let suite = try #require(try document.nodes(forXPath: "/testsuites/testsuite").first as? XMLElement)
        #expect(suite.attribute(forName: "name")?.stringValue == "tests & more.yaml")
        #expect(suite.attribute(forName: "tests")?.stringValue == "2")
        #expect(suite.attribute(forName: "failures")?.stringValue == "1")
        let failures = try document.nodes(forXPath: "//testcase/failure").compactMap { $0 as? XMLElement }
        #expect(failures.count == 1)
        #expect(failures.first?.stringValue == results[1].line.replacingOccurrences(of: "\u{1}", with: "\u{FFFD}"))
        #expect(failures.first?.attribute(forName: "message")?.stringValue == failures.first?.stringValue)
        let uncovered = try document.nodes(forXPath: "//property[@name='uncovered']/@value").map(\.stringValue)
        #expect(uncovered == ["shadowed-never-matched", "callback"])
    }
}
