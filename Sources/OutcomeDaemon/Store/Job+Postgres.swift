import PostgresNIO

extension Job {
    /// The `jobs` columns in the order `init(postgresRow:)` reads them.
    static let postgresColumns = """
        id, call_id, outcome, rule, event_id, state, attempts, next_attempt_at, last_status, last_error, \
        created_at, updated_at, lease_owner, lease_expires_at
        """

    /// Decodes a PostgreSQL `jobs` row selected with `postgresColumns`.
    public init(postgresRow row: PostgresRow) throws {
        let (id, callID, outcome, rule, eventID, state, attempts, nextAttemptAt, lastStatus, lastError, createdAt, updatedAt, leaseOwner, leaseExpiresAt) =
            try row.decode((Int64, String, String, String?, Int64, String, Int, Int64, Int?, String?, Int64, Int64, String?, Int64?).self)
        self.init(
            id: id, callID: callID, outcome: outcome, rule: rule, eventID: eventID, state: JobState(rawValue: state) ?? .dead,
            attempts: attempts, nextAttemptAt: nextAttemptAt, lastStatus: lastStatus, lastError: lastError,
            createdAt: createdAt, updatedAt: updatedAt, leaseOwner: leaseOwner, leaseExpiresAt: leaseExpiresAt
        )
    }

    init(
        id: Int64, callID: String, outcome: String, rule: String?, eventID: Int64, state: JobState, attempts: Int, nextAttemptAt: Int64,
        lastStatus: Int?, lastError: String?, createdAt: Int64, updatedAt: Int64, leaseOwner: String?, leaseExpiresAt: Int64?
    ) {
        self.id = id
        self.callID = callID
        self.outcome = outcome
        self.rule = rule
        self.eventID = eventID
        self.state = state
        self.attempts = attempts
        self.nextAttemptAt = nextAttemptAt
        self.lastStatus = lastStatus
        self.lastError = lastError
        self.createdAt = createdAt
        self.updatedAt = updatedAt
        self.leaseOwner = leaseOwner
        self.leaseExpiresAt = leaseExpiresAt
    }
}
