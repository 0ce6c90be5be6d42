import Testing
@testable import OutcomeEngine

struct RuleSetTests {
    static let lead = Condition.field(FieldPath("is_lead")!, .equals(.bool(true)))
    static let rules = [
        Rule(name: "dnc", outcome: "do_not_call", when: .transcript(TranscriptCondition(speaker: .customer, any: ["stop calling"]))),
        Rule(name: "lead", outcome: "interested", when: lead),
        Rule(name: "lead-again", outcome: "callback", when: lead),
    ]

    @Test func theFirstMatchingRuleWins() {
        let set = RuleSet(outcomes: ["do_not_call", "interested", "callback"], rules: Self.rules)
        #expect(set.decide(Fixtures.chat("User: stop calling", ["is_lead": .bool(true)])) == Decision(action: .queued, outcome: "do_not_call", rule: "dnc"))
        #expect(set.decide(Fixtures.chat("User: hello", ["is_lead": .bool(true)])) == Decision(action: .queued, outcome: "interested", rule: "lead"))
    }

    @Test func withoutAMatchTheDefaultAppliesOrNothing() {
        let plain = RuleSet(outcomes: ["do_not_call", "interested", "callback"], rules: Self.rules)
        #expect(plain.decide(Fixtures.chat("User: hello")) == Decision(action: .noMatch, outcome: nil, rule: nil))
        let withDefault = RuleSet(outcomes: ["do_not_call", "interested", "callback"], defaultOutcome: "callback", rules: Self.rules)
        #expect(withDefault.decide(Fixtures.chat("User: hello")) == Decision(action: .queued, outcome: "callback", rule: nil))
    }

    @Test func theCurrentOutcomeMakesTheDecisionUnchanged() {
        let set = RuleSet(outcomes: ["do_not_call", "interested", "callback"], rules: Self.rules)
        let event = Fixtures.chat("User: hi", ["is_lead": .bool(true), "call_outcome": .string("interested")])
        #expect(set.decide(event) == Decision(action: .unchanged, outcome: "interested", rule: "lead"))
    }

    @Test func explainGivesEveryRuleAndTheReason() {
        let set = RuleSet(outcomes: ["do_not_call", "interested", "callback"], rules: Self.rules)
        let explanation = set.explain(Fixtures.chat("AI: hello\nUser: I won't stop calling you", ["is_lead": .bool(true)]))
        #expect(explanation.rules.map(\.matched) == [false, true, true])
        #expect(explanation.rules[0].reason.contains(#""stop calling" in turn 2 negated by "wont""#))
        #expect(explanation.rules[1].reason == "is_lead is true, equals true")
        #expect(explanation.decision == Decision(action: .queued, outcome: "interested", rule: "lead"))
        #expect(explanation.text.hasSuffix("decision: queued interested (rule lead)"))
        let json = explanation.json
        #expect(json["rule"] == .string("lead"))
        #expect(json["rules"]?.arrayValue?.count == 3)
    }

    @Test func explainPointsAtAQuotedBooleanThatCannotMatch() {
        let rules = [
            Rule(name: "quoted", outcome: "interested", when: .field(FieldPath("is_lead")!, .equals(.string("true")))),
            Rule(name: "listed", outcome: "callback", when: .field(FieldPath("is_lead")!, .isIn([.string("yes"), .string("false")]))),
        ]
        let set = RuleSet(outcomes: ["interested", "callback"], rules: rules)
        let explanation = set.explain(Fixtures.chat("User: hi", ["is_lead": .bool(true)]))
        #expect(explanation.rules.map(\.reason) == [
            #"is_lead is true, not equals "true" (the rule has the string "true" and the event a boolean: write true without quotes)"#,
            #"is_lead is true, not in ["yes", "false"] (the rule has the string "false" and the event a boolean: write false without quotes)"#,
        ])
        let text = set.explain(Fixtures.chat("User: hi", ["is_lead": .string("true")]))
        #expect(text.rules[0].reason == #"is_lead is "true", equals "true""#)
    }

    @Test func explainNamesThePhraseAndTurnThatMatched() {
        let set = RuleSet(outcomes: ["do_not_call", "interested", "callback"], rules: Self.rules)
        let explanation = set.explain(Fixtures.chat("AI: hello\nUser: please stop calling"))
        #expect(explanation.rules[0].reason == #"customer said "stop calling" in turn 2: "please stop calling""#)
        #expect(explanation.rules[1].reason == "is_lead is missing, not equals true")
    }
}
