import Logging
import PostgresNIO

/// Putting jobs in flight back to `pending`: after a crash, when a lease expires, at shutdown.
///
/// Every writer takes a call's rows and its `pending` slot in call order (intake's upsert, these,
/// `complete`), so two transactions never wait for each other in a circle; a slot that a commit
/// of another instance took meanwhile makes the job superseded on the redo.
extension PostgresQueueStore {
    /// Puts every job left `in_flight` back to `pending`, uncharged; a job whose call has a newer
    /// pending job is superseded instead. Only for a database no instance is using.
    @discardableResult
    public func recoverInFlight(now: Int64) async throws -> Int {
        try await withSession { session in
            try await session.transaction {
                try await session.redoingOnUniqueViolation {
                    let now = try await session.databaseNow()
                    let jobs = try await Self.lock(session, "SELECT id, call_id, lease_owner FROM jobs WHERE state = 'in_flight' ORDER BY call_id FOR UPDATE")
                    return try await Self.putBack(session, jobs, now: now) { _ in "recovered after a restart" }.filter(\.pending).count
                }
            }
        }
    }

    /// Returns to `pending`, uncharged, every job whose lease another instance let expire (it
    /// died or stalled); a job whose call has a newer pending decision is superseded instead.
    /// An instance's own jobs are its own: it still holds them, or their results, in memory (but
    /// for the jobs of an intake commit whose answer was lost, which wait for a restart).
    func expireLeases(_ session: PostgresSession, now: Int64, owner: String) async throws {
        let taken = try await session.transaction {
            try await session.redoingOnUniqueViolation {
                let jobs = try await Self.lock(session, """
                    SELECT id, call_id, lease_owner FROM jobs
                    WHERE state = 'in_flight' AND lease_expires_at <= \(now) AND lease_owner IS DISTINCT FROM \(owner)
                    ORDER BY call_id FOR UPDATE
                    """)
                return try await Self.putBack(session, jobs, now: now) { "the lease of \($0.owner ?? "an instance") expired" }
            }
        }
        for (job, pending) in taken {
            logger.warning("took back a job whose lease expired", metadata: [
                "event": "lease_expired", "job_id": "\(job.id)", "call_id": "\(job.callID)", "owner": "\(job.owner ?? "an instance")",
                "state": "\(pending ? JobState.pending.rawValue : JobState.done.rawValue)",
            ])
        }
    }

    /// Puts the jobs `owner` holds back to pending without charging them (graceful shutdown).
    @discardableResult
    public func releaseAllInFlight(now: Int64, owner: String) async throws -> Int {
        try await withSession { session in
            try await session.transaction {
                try await session.redoingOnUniqueViolation {
                    let now = try await session.databaseNow()
                    let jobs = try await Self.lock(session, """
                        SELECT id, call_id, lease_owner FROM jobs WHERE state = 'in_flight' AND lease_owner = \(owner) ORDER BY call_id FOR UPDATE
                        """)
                    return try await Self.putBack(session, jobs, now: now) { _ in "interrupted by shutdown" }.filter(\.pending).count
                }
            }
        }
    }

    /// A job in flight, locked to be put back.
    struct HeldJob: Sendable {
        var id: Int64
        var callID: String
        var owner: String?
    }

    /// Locks the jobs `query` selects (id, call id, lease owner), in the order it gives.
    static func lock(_ session: PostgresSession, _ query: PostgresQuery) async throws -> [HeldJob] {
        try await session.execute(query).map { row in
            let (id, callID, owner) = try row.decode((Int64, String, String?).self)
            return HeldJob(id: id, callID: callID, owner: owner)
        }
    }

    /// Puts locked jobs back to `pending` with `note` as their last error, one at a time in the
    /// order given; a job whose call has a pending job already is superseded by it instead.
    static func putBack(
        _ session: PostgresSession, _ jobs: [HeldJob], now: Int64, note: (HeldJob) -> String
    ) async throws -> [(job: HeldJob, pending: Bool)] {
        var results: [(job: HeldJob, pending: Bool)] = []
        for job in jobs {
            let state: String = try await session.value("""
                UPDATE jobs SET state = CASE WHEN s.superseded THEN 'done' ELSE 'pending' END,
                                last_error = CASE WHEN s.superseded THEN 'superseded by a later decision' ELSE \(note(job)) END,
                                lease_owner = NULL, lease_expires_at = NULL, updated_at = \(now)
                FROM (SELECT EXISTS (SELECT 1 FROM jobs WHERE call_id = \(job.callID) AND state = 'pending') AS superseded) s
                WHERE jobs.id = \(job.id)
                RETURNING jobs.state
                """)
            results.append((job, state == JobState.pending.rawValue))
        }
        return results
    }
}
