import OutcomeEngine

/// The promises every decision keeps, whatever the event and the rules.
enum DecisionCheck {
    /// Decides `event` as intake does, and checks that `outcomed explain` agrees, that the
    /// outcome is one the rules may set, and that every string the 202 body carries survives JSON.
    static func decide(_ event: CallEvent, with rules: RuleSet) -> Result<Decision, BrokenPromise> {
        let decision = rules.decide(event)
        let explanation = rules.explain(event)
        guard explanation.decision == decision else {
            return .failure(BrokenPromise("decide chose \(decision) but explain chose \(explanation.decision)"))
        }
        guard explanation.rules.count == rules.rules.count else {
            return .failure(BrokenPromise("explain gave \(explanation.rules.count) verdicts for \(rules.rules.count) rules"))
        }
        if let outcome = decision.outcome, !rules.outcomes.contains(outcome) {
            return .failure(BrokenPromise("decided outcome \(outcome) is not in outcomes \(rules.outcomes)"))
        }
        _ = explanation.text
        for text in [event.callID, decision.outcome, decision.rule].compactMap({ $0 }) {
            guard (try? JSONParser().parse(JSONValue.string(text).serialized())) == .string(text) else {
                return .failure(BrokenPromise("the string \(text.debugDescription) does not survive JSON serialisation"))
            }
        }
        return .success(decision)
    }
}
