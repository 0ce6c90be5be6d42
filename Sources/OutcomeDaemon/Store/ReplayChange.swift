/// A call whose outcome the back-test would change, to be queued by `replay --apply --yes`.
public struct ReplayChange: Sendable, Hashable {
    /// The call id.
    public var callID: String
    /// The stored event it was decided from.
    public var eventID: Int64
    /// The outcome the call had before; nil for none.
    public var from: String?
    /// The new outcome.
    public var outcome: String
    /// The rule that chose it; nil for the default outcome.
    public var rule: String?

    /// Creates a change.
    public init(callID: String, eventID: Int64, from: String?, outcome: String, rule: String?) {
        self.callID = callID
        self.eventID = eventID
        self.from = from
        self.outcome = outcome
        self.rule = rule
    }
}
