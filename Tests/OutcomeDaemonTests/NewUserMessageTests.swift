import Testing
@testable import OutcomeDaemon

/// Messages a new user met that misled them once; each is checked word for word.
struct NewUserMessageTests {
    static func parse(_ yaml: String, mode: ConfigLoadMode = .rules, environment: [String: String] = [:]) throws(ConfigError) -> Config {
        try Config.parse(yaml: yaml, file: "c.yaml", mode: mode, environment: environment)
    }

    static func message(_ yaml: String, mode: ConfigLoadMode = .rules) -> String? {
        do {
            _ = try parse(yaml, mode: mode)
            return nil
        } catch {
            return error.description
        }
    }

    @Test(arguments: [
        (
            "outcomes: [interested]\nrules:\n  - name: r\n    outcome: interested\n      when: {is_lead: true}\n",
            "c.yaml:5:11: YAML syntax error: mapping values are not allowed in this context; check the indentation of this line and of line 4 above it"
        ),
        (
            "outcomes: [interested]\nrules:\n  - name: r\n    outcome: interested\n    # a comment\n\n   when: {is_lead: true}\n",
            "c.yaml:7:4: YAML syntax error: did not find expected '-' indicator (while parsing a block collection at line 3); check the indentation of this line and of line 4 above it"
        ),
    ])
    func aBadIndentationNamesTheLineAbove(yaml: String, expected: String) {
        #expect(Self.message(yaml) == expected)
    }

    @Test func aShorthandBesideAFieldConditionIsTwoConditions() {
        let yaml = "outcomes: [a]\nrules:\n  - name: r\n    outcome: a\n    when: {field: x, equals: \"true\", is_lead: true}\n"
        #expect(Self.message(yaml) == #"c.yaml:5:38: a condition has one form, but "field" and "is_lead" are two conditions; put them in a list under all: or any:"#)
        let typo = "outcomes: [a]\nrules:\n  - name: r\n    outcome: a\n    when: {field: x, equals: \"true\", equls: 1}\n"
        #expect(Self.message(typo) == #"c.yaml:5:38: unknown key "equls" in a condition; did you mean "equals"?"#)
    }

    @Test func anEmptyPhraseListIsAWarning() async throws {
        let yaml = "outcomes: [a]\nrules:\n  - name: r\n    outcome: a\n    when: {transcript: {any: [], none: []}}\n"
        #expect(try Self.parse(yaml).warnings.map(\.description) == [
            "c.yaml:5:30: warning: any: [] lists no phrases, so this part of the condition never matches",
            "c.yaml:5:40: warning: none: [] lists no phrases, so this part of the condition always holds",
        ])
    }

    @Test func anUnsetTokenVariableIsFatalForServeAndSaysWhy() {
        let yaml = "outcomes: [a]\nrules: []\napi:\n  base_url: https://x\n  token_env: COMMVOICE_TOKEN\n"
        #expect(Self.message(yaml, mode: .serve) == "c.yaml:5:14: api.token_env: COMMVOICE_TOKEN is unset, and serve cannot run without this secret; set it in the environment serve starts with (the unit's Environment= or LoadCredential=)")
        #expect((try? Self.parse(yaml, mode: .check))?.warnings.map(\.description) == ["c.yaml:5:14: warning: api.token_env: not checked: COMMVOICE_TOKEN is unset"])
    }
}
