/// The result of running a call through the rules.
public struct Decision: Sendable, Hashable {
    /// What happens next.
    public var action: Action
    /// The chosen outcome; nil for `no_match`.
    public var outcome: String?
    /// The rule that chose it; nil for `no_match`, and for the default outcome.
    public var rule: String?

    /// Creates a decision.
    public init(action: Action, outcome: String?, rule: String?) {
        self.action = action
        self.outcome = outcome
        self.rule = rule
    }

    /// The rule as logs, metrics and reports name it: `default_outcome` when the default
    /// outcome was chosen, `none` when nothing was.
    public var ruleLabel: String {
        rule ?? (outcome == nil ? "none" : "default_outcome")
    }
}
