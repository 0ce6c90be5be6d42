import Foundation
import OutcomeEngine
import Yams

/// A rule test file (`outcomed test FILE`): events and the outcomes the rules must give them.
public struct RuleTestSuite: Sendable {
    /// One test case.
    public struct Case: Sendable {
        /// The test's name.
        public var name: String
        /// The event, as normalised.
        public var event: Normalization
        /// The expected outcome; nil means "no PATCH".
        public var expect: String?
        /// The expected rule, when the test names one.
        public var expectRule: String?
        /// Where the test is.
        public var location: SourceLocation
        /// Where `expect:` and `expect_rule:` are, for errors about them.
        var expectLocation: SourceLocation?
        var expectRuleLocation: SourceLocation?
    }

    /// The config file the suite names (`config:`, relative to the suite), if any.
    public var configPath: String?
    /// The tests, in file order.
    public var cases: [Case]

    /// Reads a test file; events in `event_file` are relative to it. Throws `ConfigError` for
    /// a test file that is wrong, `RuleTestFileError` for an event file that cannot be read.
    public static func load(path: String) throws -> RuleTestSuite {
        guard let data = FileManager.default.contents(atPath: path), let text = String(data: data, encoding: .utf8) else {
            throw ConfigError(SourceLocation(file: path, line: 0, column: 0), "cannot read the test file (missing, unreadable or not UTF-8)")
        }
        let reader = YAMLReader(file: path)
        guard let root = try Config.composeYAML(text, file: path), !reader.isNull(root) else {
            throw ConfigError(SourceLocation(file: path, line: 1, column: 1), "the test file is empty")
        }
        let top = try reader.mapping(root, "the test file", allowed: ["config", "tests"])
        let directory = (path as NSString).deletingLastPathComponent
        func relative(_ file: String) -> String {
            file.hasPrefix("/") || directory.isEmpty ? file : directory + "/" + file
        }
        var suite = RuleTestSuite(configPath: nil, cases: [])
        if let configNode = top["config"] { suite.configPath = relative(try reader.nonEmptyString(configNode, "config")) }
        guard let testsNode = top["tests"] else { throw reader.error(root, "missing \"tests\": the list of tests") }
        var names = Set<String>()
        for (index, testNode) in try reader.sequence(testsNode, "tests").enumerated() {
            let test = try reader.mapping(testNode, "test \(index + 1)", allowed: ["name", "event", "event_file", "expect", "expect_rule"])
            guard let nameNode = test["name"] else { throw reader.error(testNode, "test \(index + 1) is missing \"name\"") }
            let name = try reader.nonEmptyString(nameNode, "name")
            guard names.insert(name).inserted else { throw reader.error(nameNode, "duplicate test name \"\(name)\"") }
            guard let expectNode = test["expect"] else { throw reader.error(testNode, "test \"\(name)\" is missing \"expect\" (an outcome, or null)") }
            let expect = reader.isNull(expectNode) ? nil : try reader.nonEmptyString(expectNode, "expect")
            let expectRule = try test["expect_rule"].map { (node) throws(ConfigError) in try reader.nonEmptyString(node, "expect_rule") }
            let event: Normalization
            switch (test["event"], test["event_file"]) {
            case (let eventNode?, nil):
                do {
                    event = try CallEvent.normalize(reader.json(eventNode))
                } catch {
                    throw reader.error(eventNode, "test \"\(name)\": \(error)")
                }
            case (nil, let fileNode?):
                let file = relative(try reader.nonEmptyString(fileNode, "event_file"))
                do {
                    event = try EventLoader.load(path: file)
                } catch .unreadable {
                    throw RuleTestFileError(location: reader.location(fileNode), test: name, path: file)
                } catch {
                    throw reader.error(fileNode, "test \"\(name)\": \(error)")
                }
            case (.some, .some):
                throw reader.error(testNode, "test \"\(name)\" gives both event and event_file; give one")
            case (nil, nil):
                throw reader.error(testNode, "test \"\(name)\" needs event or event_file")
            }
            suite.cases.append(Case(
                name: name, event: event, expect: expect, expectRule: expectRule, location: reader.location(testNode),
                expectLocation: reader.location(expectNode), expectRuleLocation: test["expect_rule"].map(reader.location)
            ))
        }
        return suite
    }

    /// Checks that every `expect:` is one of the rules' outcomes and every `expect_rule:` one of
    /// their rules, so a typo is an error at its line rather than a test that can never pass.
    public func validate(against rules: RuleSet) throws(ConfigError) {
        let names = rules.rules.map(\.name) + ["default_outcome", "none"]
        for test in cases {
            if let expect = test.expect, !rules.outcomes.contains(expect), let location = test.expectLocation {
                throw ConfigError(location, "test \"\(test.name)\": expect \"\(expect)\" is not in outcomes [\(rules.outcomes.joined(separator: ", "))]\(Suggestion.hint(for: expect, in: rules.outcomes))")
            }
            if let rule = test.expectRule, !names.contains(rule), let location = test.expectRuleLocation {
                throw ConfigError(location, "test \"\(test.name)\": expect_rule \"\(rule)\" is not a rule of the config\(Suggestion.hint(for: rule, in: names))")
            }
        }
    }

    /// The suite with only the tests whose names `pattern` finds a match in (`--run REGEX`).
    public func filtered(by pattern: Pattern) -> RuleTestSuite {
        RuleTestSuite(configPath: configPath, cases: cases.filter { pattern.search($0.name) })
    }

    /// Runs every test against `rules`.
    public func run(_ rules: RuleSet) -> [RuleTestResult] {
        cases.map { test in
            let decision: Decision
            var matched: [String] = []
            switch test.event {
            case .event(let event):
                decision = rules.decide(event)
                matched = zip(rules.rules, rules.matches(event)).compactMap { $1 ? $0.name : nil }
            case .ignored:
                decision = Decision(action: .noMatch, outcome: nil, rule: nil)
            }
            let outcomeOK = test.expect == nil ? decision.action != .queued : decision.outcome == test.expect
            let ruleOK = test.expectRule == nil || test.expectRule == decision.rule
            if outcomeOK && ruleOK { return RuleTestResult(name: test.name, passed: true, line: "PASS \(test.name)", matchedRules: matched) }
            let expected = (test.expect ?? "null") + (test.expectRule.map { " (rule \($0))" } ?? "")
            let got = decision.outcome ?? "null"
            let gotRule = decision.ruleLabel
            let note = decision.action == .unchanged ? ", unchanged" : ""
            return RuleTestResult(name: test.name, passed: false, line: "FAIL \(test.name): expected \(expected), got \(got) (rule \(gotRule)\(note))", matchedRules: matched)
        }
    }
}
