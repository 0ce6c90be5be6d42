import PostgresNIO

/// Delivery's usual round in one statement: a single round trip records finished attempts and
/// claims the next due jobs, instead of the nine of a transaction built statement by statement.
extension PostgresQueueStore {
    /// What the one-statement round did.
    struct Round {
        /// The jobs it claimed.
        var jobs: [Job]
        /// Whether another instance let a lease expire (the statement does not take them back).
        var leasesExpired: Bool
    }

    /// Records ended attempts and claims up to `claimLimit` due jobs in one statement, its own
    /// transaction, which commits without waiting for its WAL flush (as `settle` explains); nil,
    /// having done nothing, when a result puts a job back to pending: it may meet a newer pending
    /// job of its call, which takes `settle`'s transaction and its savepoints.
    ///
    /// The rows of the results are locked in call order before they change, as every writer
    /// locks jobs. It throws a unique violation, having written nothing, when another instance
    /// put one of the calls it claims in flight after the statement looked.
    func roundInOneStatement(
        _ session: PostgresSession, _ results: [JobResult], claimLimit: Int, now: Int64, owner: String, leaseUntil: Int64
    ) async throws -> Round? {
        var ids: [Int64] = []
        var states: [String] = []
        var statuses: [Int64] = []
        var hasStatus: [Bool] = []
        var errors: [String] = []
        for result in results {
            let (state, status, error): (JobState, Int?, String)
            switch result {
            case .done(_, let code): (state, status, error) = (.done, code, "")
            case .dead(_, let code, let reason): (state, status, error) = (.dead, code, reason)
            case .retry, .release: return nil
            }
            ids.append(result.jobID)
            states.append(state.rawValue)
            statuses.append(Int64(status ?? 0))
            hasStatus.append(status != nil)
            errors.append(error)
        }
        let rows = try await session.execute("""
            WITH clock AS MATERIALIZED (
                SELECT \(unescaped: PostgresSession.now) AS now, set_config('synchronous_commit', 'off', true) AS unflushed
            ),
            held AS MATERIALIZED (
                SELECT id FROM jobs WHERE id = ANY(\(ids)) AND state = 'in_flight' AND lease_owner = \(owner)
                ORDER BY call_id FOR UPDATE
            ),
            ended AS (
                UPDATE jobs SET state = r.state, attempts = attempts + 1, last_status = CASE WHEN r.has_status THEN r.status END,
                                last_error = CASE WHEN r.state = 'dead' THEN r.error END, lease_owner = NULL, lease_expires_at = NULL, updated_at = clock.now
                FROM unnest(\(ids)::bigint[], \(states)::text[], \(statuses)::bigint[], \(hasStatus)::boolean[], \(errors)::text[])
                     AS r(id, state, status, has_status, error), held, clock
                WHERE jobs.id = r.id AND held.id = r.id
                RETURNING jobs.id
            ),
            -- The clock as a value, not a join, so the due index is read in order and stops at the limit.
            due AS (
                SELECT j.id AS due_id FROM jobs j
                WHERE j.state = 'pending' AND j.next_attempt_at <= (SELECT now FROM clock)
                  AND NOT EXISTS (SELECT 1 FROM jobs f WHERE f.call_id = j.call_id AND f.state = 'in_flight')
                ORDER BY j.next_attempt_at, j.id
                LIMIT \(claimLimit)
                FOR UPDATE OF j SKIP LOCKED
            ),
            claimed AS (
                UPDATE jobs SET state = 'in_flight', lease_owner = \(owner), lease_expires_at = clock.now + \(leaseUntil - now), updated_at = clock.now
                FROM due, clock WHERE jobs.id = due.due_id
                RETURNING \(unescaped: Job.postgresColumns)
            )
            SELECT claimed.*,
                   (SELECT count(*) FROM ended) AS ended,
                   (SELECT unflushed FROM clock) AS unflushed,
                   EXISTS (
                       SELECT 1 FROM jobs, clock
                       WHERE jobs.state = 'in_flight' AND jobs.lease_expires_at <= clock.now AND jobs.lease_owner IS DISTINCT FROM \(owner)
                   ) AS leases_expired
            FROM (SELECT 1) AS one LEFT JOIN claimed ON true
            """)
        guard let first = rows.first else { throw PostgresStoreFailure.missingRow }
        let leasesExpired = try PostgresRandomAccessRow(first)["leases_expired"].decode(Bool.self)
        // Without a claim, the one row carries the flags alone.
        let jobs = try rows.compactMap { row -> Job? in
            try PostgresRandomAccessRow(row)["id"].decode(Int64?.self) == nil ? nil : Job(postgresRow: row)
        }
        return Round(jobs: jobs, leasesExpired: leasesExpired)
    }

}
