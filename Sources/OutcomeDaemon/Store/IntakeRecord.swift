import Crypto
import OutcomeEngine

/// An accepted event and its decision, to be committed together.
public struct IntakeRecord: Sendable {
    /// The `Idempotency-Key` header, else the SHA-256 of the body.
    public var idempotencyKey: String
    /// The call id.
    public let callID: String
    /// The raw body, kept for audits and replays until retention prunes it.
    public var body: [UInt8]
    /// What the rules decided.
    public let decision: Decision
    /// The 202 body up to the event id, and after the job id: built before the single writer
    /// gets the record, which only splices the two ids in (so what they derive from is `let`).
    let responseHead: String
    let responseTail: String

    /// Creates a record.
    public init(idempotencyKey: String, callID: String, body: [UInt8], decision: Decision) {
        self.idempotencyKey = idempotencyKey
        self.callID = callID
        self.body = body
        self.decision = decision
        let string = { (value: String?) in value.map { JSONValue.string($0).serialized() } ?? "null" }
        responseHead = #"{"action":"# + string(decision.action.rawValue) + #","call_id":"# + string(callID) + #","event_id":"#
        responseTail = #","outcome":"# + string(decision.outcome) + #","rule":"# + string(decision.rule) + "}"
    }

    /// The idempotency key of an event sent without an `Idempotency-Key` header: its body's SHA-256.
    public static func contentKey(of body: [UInt8]) -> String {
        "sha256:" + Hex.encode(SHA256.hash(data: body))
    }

    /// The 202 body: the same text as the sorted-key JSON object of the decision and its ids.
    func response(eventID: Int64, jobID: Int64?) -> String {
        responseHead + String(eventID) + #","job_id":"# + (jobID.map { String($0) } ?? "null") + responseTail
    }
}
