/// What intake answers once a record is committed: the 202 body, or the first answer to a duplicate.
public struct IntakeReceipt: Sendable, Equatable {
    /// The stored event's id.
    public var eventID: Int64
    /// The job that carries the decision, if one was queued (or coalesced into).
    public var jobID: Int64?
    /// Whether this event had been received before; nothing new was queued.
    public var duplicate: Bool
    /// The response body of the first time the event was received.
    public var response: String
    /// Whether the job went straight in flight for the committing instance (`IntakeHandoff`),
    /// so no claim is needed to send it.
    public var handedOff = false
}
