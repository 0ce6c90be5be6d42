/// The operator's rules, compiled: outcomes, rules in file order, the default, and one phrase
/// index shared by every transcript condition.
public struct RuleSet: Sendable {
    /// The outcomes rules may set.
    public let outcomes: [String]
    /// The outcome when no rule matches; nil leaves the call alone.
    public let defaultOutcome: String?
    /// The rules, tried in order.
    public let rules: [Rule]
    /// Every phrase of every rule.
    public let phrases: PhraseIndex
    let table: PhraseTable
    let compiled: [any ConditionNode]

    /// Compiles rules; phrases are registered in the shared index.
    public init(outcomes: [String], defaultOutcome: String? = nil, rules: [Rule]) {
        var index = PhraseIndex()
        compiled = rules.map { $0.when.compile(phrases: &index) }
        self.rules = rules
        self.outcomes = outcomes
        self.defaultOutcome = defaultOutcome
        self.phrases = index
        self.table = PhraseTable(index)
    }

    /// Decides `event`: the first matching rule wins, else the default.
    public func decide(_ event: CallEvent) -> Decision {
        let context = EvaluationContext(event: event, phrases: phrases, table: table)
        for (index, node) in compiled.enumerated() where node.evaluate(context, explain: false).matched {
            return decision(outcome: rules[index].outcome, rule: rules[index].name, event: event)
        }
        return defaultDecision(event)
    }

    /// Whether each rule's condition holds for `event`, in file order: every rule is tried, not
    /// only up to the first match (rule coverage counts a rule shadowed by an earlier one).
    public func matches(_ event: CallEvent) -> [Bool] {
        let context = EvaluationContext(event: event, phrases: phrases, table: table)
        return compiled.map { $0.evaluate(context, explain: false).matched }
    }

    /// Decides `event` and says, for every rule, whether it matched and why.
    public func explain(_ event: CallEvent) -> Explanation {
        let context = EvaluationContext(event: event, phrases: phrases, table: table)
        var verdicts: [RuleVerdict] = []
        var chosen: Decision?
        for (rule, node) in zip(rules, compiled) {
            let verdict = node.evaluate(context, explain: true)
            verdicts.append(RuleVerdict(name: rule.name, outcome: rule.outcome, matched: verdict.matched, reason: verdict.reason))
            if verdict.matched, chosen == nil {
                chosen = decision(outcome: rule.outcome, rule: rule.name, event: event)
            }
        }
        return Explanation(event: event, decision: chosen ?? defaultDecision(event), rules: verdicts)
    }

    private func decision(outcome: String, rule: String?, event: CallEvent) -> Decision {
        Decision(action: outcome == event.currentOutcome ? .unchanged : .queued, outcome: outcome, rule: rule)
    }

    private func defaultDecision(_ event: CallEvent) -> Decision {
        guard let defaultOutcome else { return Decision(action: .noMatch, outcome: nil, rule: nil) }
        return decision(outcome: defaultOutcome, rule: nil, event: event)
    }
}
