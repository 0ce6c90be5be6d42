import OutcomeEngine

/// An accepted event and its decision, to be committed together.
public struct IntakeRecord: Sendable {
    /// The `Idempotency-Key` header, else the SHA-256 of the body.
    public var idempotencyKey: String
    /// The call id.
    public var callID: String
    /// The raw body, kept for audits and replays until retention prunes it.
    public var body: [UInt8]
    /// What the rules decided.
    public var decision: Decision

    /// Creates a record.
    public init(idempotencyKey: String, callID: String, body: [UInt8], decision: Decision) {
        self.idempotencyKey = idempotencyKey
        self.callID = callID
        self.body = body
        self.decision = decision
    }
}
