import Foundation
import Testing
import TestSupport
@testable import OutcomeDaemon
@testable import OutcomeEngine

struct ConfigValidationTests {
    struct Case: Sendable, CustomTestStringConvertible {
        var name: String
        var yaml: String
        var line: Int
        var column: Int
        var message: String
        var testDescription: String { name }
    }

    static let rulesHead = """
        outcomes: [interested, voicemail]
        rules:
        """

    static func rulesOnly(_ rules: String) -> String { rulesHead + "\n" + rules }

    static func parse(_ yaml: String, mode: ConfigLoadMode = .rules, environment: [String: String] = [:]) throws(ConfigError) -> Config {
        try Config.parse(yaml: yaml, file: "test.yaml", mode: mode, environment: environment)
    }

    @Test(arguments: [
        Case(name: "YAML syntax error", yaml: rulesOnly("  - name: r\n    outcome: interested\n    when: {is_lead: true\n"), line: 6, column: 1, message: "YAML syntax error"),
        Case(name: "tab indentation", yaml: "outcomes: [a]\nrules:\n\t- name: r\n", line: 3, column: 1, message: "YAML syntax error"),
        Case(name: "unknown rule key", yaml: rulesOnly("  - name: r\n    outcom: interested\n    when: {is_lead: true}\n"), line: 4, column: 5, message: #"unknown key "outcom" in rule 1; did you mean "outcome"?"#),
        Case(name: "unknown top-level key", yaml: "outcomes: [a]\nrule: []\n", line: 2, column: 1, message: #"unknown key "rule" in the config; did you mean "rules"?"#),
        Case(name: "unknown api key", yaml: rulesOnly("  []\napi:\n  base_url: http://x\n  token_env: T\n  concurency: 4\n"), line: 7, column: 3, message: #"did you mean "concurrency"?"#),
        Case(name: "missing name", yaml: rulesOnly("  - outcome: interested\n    when: {is_lead: true}\n"), line: 3, column: 5, message: #"rule 1 is missing "name""#),
        Case(name: "missing outcome", yaml: rulesOnly("  - name: r\n    when: {is_lead: true}\n"), line: 3, column: 5, message: #"rule 1 is missing "outcome""#),
        Case(name: "missing when", yaml: rulesOnly("  - name: r\n    outcome: interested\n"), line: 3, column: 5, message: #"rule 1 is missing "when""#),
        Case(name: "duplicate rule name", yaml: rulesOnly("  - {name: r, outcome: interested, when: {is_lead: true}}\n  - {name: r, outcome: voicemail, when: {is_lead: false}}\n"), line: 4, column: 12, message: #"duplicate rule name "r" (first at line 3)"#),
        Case(name: "outcome not listed", yaml: rulesOnly("  - name: r\n    outcome: intrested\n    when: {is_lead: true}\n"), line: 4, column: 14, message: #"outcome "intrested" is not in outcomes [interested, voicemail]; did you mean "interested"?"#),
        Case(name: "default outcome not listed", yaml: "outcomes: [a]\ndefault_outcome: b\nrules: []\n", line: 2, column: 18, message: #"outcome "b" is not in outcomes"#),
        Case(name: "invalid field regex", yaml: rulesOnly("  - name: r\n    outcome: interested\n    when: {field: status, matches: \"a(b\"}\n"), line: 5, column: 36, message: #"invalid regex "a(b""#),
        Case(name: "invalid transcript regex", yaml: rulesOnly("  - name: r\n    outcome: interested\n    when:\n      transcript: {matches: \"[z-a]\"}\n"), line: 6, column: 29, message: "invalid regex"),
        Case(name: "no operator", yaml: rulesOnly("  - name: r\n    outcome: interested\n    when: {field: status}\n"), line: 5, column: 12, message: #"field condition on "status" has no operator"#),
        Case(name: "two operators", yaml: rulesOnly("  - name: r\n    outcome: interested\n    when: {field: status, equals: a, in: [b]}\n"), line: 5, column: 38, message: "has two operators (equals, in); give exactly one"),
        Case(name: "operator without field", yaml: rulesOnly("  - name: r\n    outcome: interested\n    when: {equals: a}\n"), line: 5, column: 12, message: #"operator "equals" needs a field: PATH"#),
        Case(name: "two forms", yaml: rulesOnly("  - name: r\n    outcome: interested\n    when: {all: [], any: []}\n"), line: 5, column: 21, message: #"has "all" and "any""#),
        Case(name: "misspelt form", yaml: rulesOnly("  - name: r\n    outcome: interested\n    when:\n      trasncript: {any: [hi]}\n"), line: 6, column: 7, message: #"did you mean "transcript"?"#),
        Case(name: "misspelt transcript key", yaml: rulesOnly("  - name: r\n    outcome: interested\n    when:\n      transcript: {speeker: customer, any: [hi]}\n"), line: 6, column: 20, message: #"unknown key "speeker" in transcript:; did you mean "speaker"?"#),
        Case(name: "bad speaker", yaml: rulesOnly("  - name: r\n    outcome: interested\n    when:\n      transcript: {speaker: custmer, any: [hi]}\n"), line: 6, column: 29, message: #"did you mean "customer"?"#),
        Case(name: "empty transcript condition", yaml: rulesOnly("  - name: r\n    outcome: interested\n    when:\n      transcript: {speaker: customer}\n"), line: 6, column: 19, message: "needs at least one of any, all, none, matches, min_turns"),
        Case(name: "phrase without words", yaml: rulesOnly("  - name: r\n    outcome: interested\n    when:\n      transcript: {any: [\"?!\"]}\n"), line: 6, column: 26, message: "has no words"),
        Case(name: "two shorthands", yaml: rulesOnly("  - name: r\n    outcome: interested\n    when: {is_lead: true, is_sale: true}\n"), line: 5, column: 27, message: "are two conditions"),
        Case(name: "bad duration", yaml: "outcomes: [a]\nrules: []\nqueue:\n  retry:\n    max_delay: 10 minutes\n", line: 5, column: 16, message: #"bad duration "10 minutes""#),
        Case(name: "duration past ten years", yaml: "outcomes: [a]\nrules: []\nqueue:\n  retry:\n    max_delay: 9999999999999d\n", line: 5, column: 16, message: "max_delay: 9999999999999d is out of range; the longest duration accepted is 3650d"),
        Case(name: "duration too long for a Double", yaml: "outcomes: [a]\nrules: []\napi:\n  base_url: http://x\n  token_env: T\n  timeout: \(String(repeating: "9", count: 400))s\n", line: 6, column: 12, message: "bad duration"),
        Case(name: "infinite rate limit", yaml: "outcomes: [a]\nrules: []\napi:\n  base_url: http://x\n  token_env: T\n  rate_limit: .inf\n", line: 6, column: 15, message: "rate_limit must be a finite number"),
        Case(name: "rate limit past a million", yaml: "outcomes: [a]\nrules: []\napi:\n  base_url: http://x\n  token_env: T\n  rate_limit: 1e300\n", line: 6, column: 15, message: "rate_limit must be 0 (unlimited) up to 1000000"),
        Case(name: "bad retention", yaml: "outcomes: [a]\nrules: []\nqueue:\n  retention: 7w\n", line: 4, column: 14, message: "bad duration"),
        Case(name: "bad size", yaml: "outcomes: [a]\nrules: []\nserver:\n  max_body: 1 MB\n", line: 4, column: 13, message: #"bad size "1 MB""#),
        Case(name: "bad listen port", yaml: "outcomes: [a]\nrules: []\nserver:\n  listen: 127.0.0.1:99999\n", line: 4, column: 11, message: "malformed listen address"),
        Case(name: "listen without port", yaml: "outcomes: [a]\nrules: []\nserver:\n  listen: localhost\n", line: 4, column: 11, message: "expected host:port"),
        Case(name: "relative unix socket", yaml: "outcomes: [a]\nrules: []\nserver:\n  listen: unix:run/x.sock\n", line: 4, column: 11, message: "must be absolute"),
        Case(name: "inline secret", yaml: "outcomes: [a]\nrules: []\napi:\n  base_url: http://x\n  token: abc\n", line: 5, column: 3, message: "secrets are never written inline"),
        Case(name: "duplicate outcome", yaml: "outcomes: [a, a]\nrules: []\n", line: 1, column: 15, message: #"outcome "a" is listed twice"#),
        Case(name: "duplicate key", yaml: "outcomes: [a]\nrules: []\noutcomes: [b]\n", line: 3, column: 1, message: "duplicate key"),
        Case(name: "min_turns not a number", yaml: rulesOnly("  - name: r\n    outcome: interested\n    when: {transcript: {min_turns: many}}\n"), line: 5, column: 36, message: "min_turns: must be a whole number"),
        Case(name: "rules not a list", yaml: "outcomes: [a]\nrules: {a: 1}\n", line: 2, column: 8, message: "rules must be a list"),
    ])
    func everyErrorNamesItsLineAndColumn(test: Case) {
        #expect {
            try Self.parse(test.yaml)
        } throws: { error in
            guard let error = error as? ConfigError else { return false }
            let ok = error.location.line == test.line && error.location.column == test.column && error.message.contains(test.message)
            if !ok { Issue.record("got \(error)") }
            return ok && error.description.hasPrefix("test.yaml:\(test.line):\(test.column): ")
        }
    }

    @Test func theExampleConfigIsValid() async throws {
        let config = try Config.load(path: Paths.config("outcomed.yaml"), mode: .check, environment: [:])
        #expect(config.rules.rules.map(\.name) == [
            "do-not-call", "voicemail", "wrong-number", "lead", "analysis-interested", "callback", "analysis-callback", "not-interested",
        ])
        #expect(config.api?.concurrency == 4)
        #expect(config.queue.retry.maxDelay == .seconds(600))
        #expect(config.server.maxBody == 1 << 20)
        #expect(config.warnings.map(\.message).sorted() == [
            "api.token_file: not checked: CREDENTIALS_DIRECTORY is unset",
            "server.auth.shared_secret_file: not checked: CREDENTIALS_DIRECTORY is unset",
        ])
    }

    @Test func secretFilesAreCheckedWhenTheirVariableIsSet() async throws {
        let directory = try TemporaryDirectory()
        let yaml = "outcomes: [a]\nrules: []\napi:\n  base_url: https://api.example.com/v1/\n  token_file: $CREDENTIALS_DIRECTORY/api-token\n"
        #expect {
            try Self.parse(yaml, mode: .check, environment: ["CREDENTIALS_DIRECTORY": directory.path])
        } throws: { error in
            guard let error = error as? ConfigError else { return false }
            return error.location.line == 5 && error.location.column == 15 && error.message.contains("\(directory.path)/api-token is missing or unreadable")
        }
        try "secret\n".write(toFile: directory.path + "/api-token", atomically: true, encoding: .utf8)
        let config = try Self.parse(yaml, mode: .serve, environment: ["CREDENTIALS_DIRECTORY": directory.path])
        #expect(config.api?.baseURL == "https://api.example.com/v1")
        let token = try config.api?.token.resolve(environment: ["CREDENTIALS_DIRECTORY": directory.path])
        #expect(token == "secret")
    }

    @Test func anUnsetVariableIsOnlyAWarningForCheckButAnErrorForServe() async throws {
        let yaml = "outcomes: [a]\nrules: []\napi:\n  base_url: https://x\n  token_file: $CREDENTIALS_DIRECTORY/api-token\n"
        let config = try Self.parse(yaml, mode: .check)
        #expect(config.warnings.map(\.description) == ["test.yaml:5:15: warning: api.token_file: not checked: CREDENTIALS_DIRECTORY is unset"])
        #expect(throws: ConfigError.self) { try Self.parse(yaml, mode: .serve) }
    }

    @Test func checkNeedsTheAPISectionButTestDoesNot() async throws {
        let yaml = "outcomes: [a]\nrules: []\n"
        _ = try Self.parse(yaml, mode: .rules)
        #expect(throws: ConfigError.self) { try Self.parse(yaml, mode: .check) }
    }

    @Test(arguments: [
        ("500ms", Duration.milliseconds(500)), ("10s", .seconds(10)), ("5m", .seconds(300)), ("2h", .seconds(7200)),
        ("7d", .seconds(604_800)), ("1.5s", .milliseconds(1500)),
    ])
    func durations(text: String, expected: Duration) {
        #expect(YAMLReader.parseDuration(text) == expected)
    }

    @Test(arguments: ["", "10", "s", "10 s", "-1s", "1w", "10sec"])
    func badDurations(text: String) {
        #expect(YAMLReader.parseDuration(text) == nil)
    }

    @Test(arguments: [("512KiB", 524_288), ("1MiB", 1_048_576), ("2GiB", 2_147_483_648), ("1000", 1000), ("64B", 64), ("1MB", 1_000_000)])
    func sizes(text: String, expected: Int) {
        #expect(YAMLReader.parseSize(text) == expected)
    }

    @Test(arguments: ["", "1 MiB", "MiB", "1.5MiB", "1TiB", "-1"])
    func badSizes(text: String) {
        #expect(YAMLReader.parseSize(text) == nil)
    }

    @Test(arguments: [
        ("127.0.0.1:8787", ListenAddress.tcp(host: "127.0.0.1", port: 8787)),
        ("localhost:0", .tcp(host: "localhost", port: 0)),
        ("[::1]:9000", .tcp(host: "::1", port: 9000)),
        ("unix:/run/outcomed/outcomed.sock", .unix(path: "/run/outcomed/outcomed.sock")),
    ])
    func listenAddresses(text: String, expected: ListenAddress) throws {
        #expect(try ListenAddress.parse(text).get() == expected)
    }

    @Test func shorthandsAndNestedConditionsDecode() async throws {
        let config = try Self.parse(Self.rulesOnly("""
              - name: r
                outcome: interested
                when:
                  all:
                    - is_lead: true
                    - vapi_ended_reason: [voicemail, "12"]
                    - not: {field: events_count, gt: 20}
                    - field: status
                      equals: "12"
                    - transcript: {speaker: agent, none: ["goodbye"], negation: ignore, min_turns: 1}
            """))
        guard case .all(let parts) = config.rules.rules[0].when else { Issue.record("not all"); return }
        #expect(parts[0] == .field(FieldPath("is_lead")!, .equals(.bool(true))))
        #expect(parts[1] == .field(FieldPath("vapi_ended_reason")!, .isIn([.string("voicemail"), .string("12")])))
        #expect(parts[2] == .not(.field(FieldPath("events_count")!, .greaterThan(20))))
        #expect(parts[3] == .field(FieldPath("status")!, .equals(.string("12"))))
        guard case .transcript(let transcript) = parts[4] else { Issue.record("not transcript"); return }
        #expect(transcript.speaker == .agent && !transcript.respectNegation && transcript.minTurns == 1)
    }
}
