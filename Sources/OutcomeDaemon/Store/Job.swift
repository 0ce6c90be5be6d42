import GRDB

/// A queued PATCH: one call's outcome on its way upstream.
public struct Job: Sendable, Hashable, FetchableRecord {
    /// The job id.
    public var id: Int64
    /// The call whose outcome is set.
    public var callID: String
    /// The outcome to set.
    public var outcome: String
    /// The rule that chose it; nil for the default outcome.
    public var rule: String?
    /// The event that led to it (the latest, when decisions were coalesced).
    public var eventID: Int64
    /// Its state.
    public var state: JobState
    /// Attempts charged so far.
    public var attempts: Int
    /// When it may be tried next, in Unix milliseconds.
    public var nextAttemptAt: Int64
    /// The HTTP status of the last attempt, if it got one.
    public var lastStatus: Int?
    /// What went wrong last, if anything.
    public var lastError: String?
    /// When the decision was made, in Unix milliseconds.
    public var createdAt: Int64
    /// When the job last changed, in Unix milliseconds.
    public var updatedAt: Int64
    /// The instance that holds it while it is in flight.
    public var leaseOwner: String?
    /// When that lease ends, in Unix milliseconds; after it, another instance may take the job.
    public var leaseExpiresAt: Int64?

    /// Decodes a `jobs` row.
    public init(row: Row) throws {
        id = row["id"]
        callID = row["call_id"]
        outcome = row["outcome"]
        rule = row["rule"]
        eventID = row["event_id"]
        state = JobState(rawValue: row["state"]) ?? .dead
        attempts = row["attempts"]
        nextAttemptAt = row["next_attempt_at"]
        lastStatus = row["last_status"]
        lastError = row["last_error"]
        createdAt = row["created_at"]
        updatedAt = row["updated_at"]
        leaseOwner = row["lease_owner"]
        leaseExpiresAt = row["lease_expires_at"]
    }
}
