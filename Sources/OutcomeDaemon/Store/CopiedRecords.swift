import Foundation

/// A stored event as `queue copy` moves it from one store to another, whole.
public struct CopiedEvent: Sendable, Hashable {
    /// Its id in the source store (the cursor of the copy; the target picks its own).
    public var id: Int64
    /// The key that makes it one event in any store.
    public var idempotencyKey: String
    /// The call id.
    public var callID: String
    /// When it was received, in Unix milliseconds.
    public var receivedAt: Int64
    /// The body as received.
    public var body: Data
    /// The first answer to it, which a duplicate still gets.
    public var response: String

    /// Creates a copied event.
    public init(id: Int64, idempotencyKey: String, callID: String, receivedAt: Int64, body: Data, response: String) {
        self.id = id
        self.idempotencyKey = idempotencyKey
        self.callID = callID
        self.receivedAt = receivedAt
        self.body = body
        self.response = response
    }
}

/// An unfinished job as `queue copy` moves it: pending (in flight counts as pending, since no
/// `serve` runs during a copy) or dead, named by its event's idempotency key.
public struct CopiedJob: Sendable, Hashable {
    /// The job as the source store has it.
    public var job: Job
    /// The idempotency key of the event it carries the decision of.
    public var eventKey: String

    /// Creates a copied job.
    public init(job: Job, eventKey: String) {
        self.job = job
        self.eventKey = eventKey
    }
}

/// What one `queue copy` batch added to the target store; what it already had is not counted.
public struct CopyCounts: Sendable, Hashable {
    /// Events added.
    public var events = 0
    /// Jobs added.
    public var jobs = 0

    /// No events and no jobs.
    public init() {}

    /// Both counts added.
    public static func + (lhs: CopyCounts, rhs: CopyCounts) -> CopyCounts {
        var sum = lhs
        sum.events += rhs.events
        sum.jobs += rhs.jobs
        return sum
    }
}
