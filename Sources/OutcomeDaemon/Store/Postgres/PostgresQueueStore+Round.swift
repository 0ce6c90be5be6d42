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
        /// When the next pending job it did not claim is due, on the caller's clock.
        var nextDueAt: Int64?
    }

    /// Records ended attempts and claims up to `claimLimit` due jobs in one statement
    /// (`DeliveryRoundStatement`), which commits without waiting for its WAL flush; nil,
    /// having done nothing, when a result puts a job back to pending: it may meet a newer pending
    /// job of its call, which takes `settle`'s transaction and its savepoints.
    ///
    /// It throws a unique violation, having written nothing, when another instance
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
        let rows = try await session.execute(DeliveryRoundStatement(
            owner: owner, ids: ids, states: states, statuses: statuses, hasStatus: hasStatus, errors: errors,
            claimLimit: Int64(claimLimit), leaseMillis: leaseUntil - now
        ))
        guard let first = rows.first.map(PostgresRandomAccessRow.init) else { throw PostgresStoreFailure.missingRow }
        let leasesExpired = try first["leases_expired"].decode(Bool.self)
        let databaseNow = try first["database_now"].decode(Int64.self)
        let nextDue = try first["next_due"].decode(Int64?.self).map { now + ($0 - databaseNow) }
        // Without a claim, the one row carries the flags alone.
        let jobs = try rows.compactMap { row -> Job? in
            try PostgresRandomAccessRow(row)["id"].decode(Int64?.self) == nil ? nil : Job(postgresRow: row)
        }
        return Round(jobs: jobs, leasesExpired: leasesExpired, nextDueAt: nextDue)
    }

}
