/// One rule's verdict on one event.
public struct RuleVerdict: Sendable, Hashable {
    /// The rule's name.
    public var name: String
    /// The outcome the rule sets.
    public var outcome: String
    /// Whether its condition held.
    public var matched: Bool
    /// Why, in words.
    public var reason: String
}
