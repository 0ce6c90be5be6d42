/// A named rule: when its condition holds, the call gets its outcome.
public struct Rule: Sendable, Hashable {
    /// The rule's unique name.
    public var name: String
    /// The outcome it sets.
    public var outcome: String
    /// When it applies.
    public var when: Condition

    /// Creates a rule.
    public init(name: String, outcome: String, when: Condition) {
        self.name = name
        self.outcome = outcome
        self.when = when
    }
}
