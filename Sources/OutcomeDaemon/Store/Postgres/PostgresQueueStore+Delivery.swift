import Logging
import PostgresNIO

/// Delivery: claiming due jobs under leases, recording answers, releasing and pruning.
extension PostgresQueueStore {
    /// The database's clock, and whether another instance let a lease expire.
    func clockAndExpiredLeases(_ session: PostgresSession, owner: String) async throws -> (Int64, Bool) {
        guard let row = try await session.execute("""
            SELECT t.now, EXISTS (
                SELECT 1 FROM jobs WHERE state = 'in_flight' AND lease_expires_at <= t.now AND lease_owner IS DISTINCT FROM \(owner)
            ) FROM (SELECT \(unescaped: PostgresSession.now) AS now) t
            """).first else { throw PostgresStoreFailure.missingRow }
        return try row.decode((Int64, Bool).self)
    }

    /// Claims due jobs in one statement; fails on a unique violation when another instance put
    /// one of their calls in flight after the statement looked.
    func claimTogether(_ session: PostgresSession, limit: Int, now: Int64, owner: String, lease: Int64) async throws -> [Job] {
        try await session.execute("""
            WITH due AS (SELECT outcomed_due_jobs(\(now), \(limit)) AS due_id)
            UPDATE jobs SET state = 'in_flight', lease_owner = \(owner), lease_expires_at = \(lease), updated_at = \(now)
            WHERE jobs.id = ANY(ARRAY(SELECT due_id FROM due))
            RETURNING \(unescaped: Job.postgresColumns)
            """).map(Job.init(postgresRow:))
    }

    /// Claims due jobs one at a time, skipping a job whose call another instance put in flight
    /// after this claim looked (the statement that claims them together failed on it).
    /// Each try runs under a savepoint, as a failed statement would end the transaction.
    func claimOneByOne(_ session: PostgresSession, limit: Int, now: Int64, owner: String, lease: Int64) async throws -> [Job] {
        let candidates = try await session.execute("""
            SELECT j.id FROM jobs j
            WHERE j.state = 'pending' AND j.next_attempt_at <= \(now)
              AND NOT EXISTS (SELECT 1 FROM jobs f WHERE f.call_id = j.call_id AND f.state = 'in_flight')
            ORDER BY j.next_attempt_at, j.id
            LIMIT \(limit)
            """).map { try $0.decode(Int64.self) }
        var jobs: [Job] = []
        for id in candidates {
            try await session.execute("SAVEPOINT outcomed_claim_one")
            do {
                jobs += try await session.execute("""
                    UPDATE jobs SET state = 'in_flight', lease_owner = \(owner), lease_expires_at = \(lease), updated_at = \(now)
                    WHERE id = \(id) AND state = 'pending'
                      AND NOT EXISTS (SELECT 1 FROM jobs f WHERE f.call_id = jobs.call_id AND f.state = 'in_flight')
                    RETURNING \(unescaped: Job.postgresColumns)
                    """).map(Job.init(postgresRow:))
                try await session.execute("RELEASE SAVEPOINT outcomed_claim_one")
            } catch let error as PSQLError where error.isUniqueViolation {
                try await session.execute("ROLLBACK TO SAVEPOINT outcomed_claim_one")
                logger.debug("skipped a job whose call another instance put in flight", metadata: ["job_id": "\(id)"])
            }
        }
        return jobs
    }

    /// The earliest time a pending job is due, on the caller's clock.
    func nextDueAt(_ session: PostgresSession, now: Int64) async throws -> Int64? {
        guard let row = try await session.execute("""
            SELECT (SELECT min(next_attempt_at) FROM jobs WHERE state = 'pending'), \(unescaped: PostgresSession.now)
            """).first else { throw PostgresStoreFailure.missingRow }
        let (due, databaseNow) = try row.decode((Int64?, Int64).self)
        return due.map { now + ($0 - databaseNow) }
    }

    /// One delivery round in one transaction that commits without waiting for its WAL flush
    /// (`synchronous_commit = off`), so delivery's bookkeeping does not queue behind intake's
    /// flushes: a claim lost in a crash comes back when its lease expires, and a lost result
    /// re-sends an idempotent PATCH. Intake's commits keep `synchronous_commit` on.
    ///
    /// The usual round (attempts that ended, and a claim) is one statement; another instance's
    /// expired leases, a job going back to pending, or a claim that met a call another instance
    /// put in flight take a transaction instead.
    public func settle(_ results: [JobResult], claimLimit: Int, now: Int64, owner: String, leaseUntil: Int64) async throws -> Settlement {
        let round = try await withSession { session -> Round? in
            do {
                return try await self.roundInOneStatement(session, results, claimLimit: claimLimit, now: now, owner: owner, leaseUntil: leaseUntil)
            } catch let error as PSQLError where error.isUniqueViolation {
                return nil
            }
        }
        guard let round else {
            return try await settleInTransaction(results, claimLimit: claimLimit, now: now, owner: owner, leaseUntil: leaseUntil)
        }
        guard round.leasesExpired else { return Settlement(jobs: round.jobs, nextDueAt: round.nextDueAt) }
        // The transaction takes the expired leases back before it claims the rest. The round's
        // claims are committed: if the transaction fails they are still returned, as jobs
        // dropped here would stay leased to this instance, and the next round tries again.
        guard let rest = try? await settleInTransaction([], claimLimit: claimLimit - round.jobs.count, now: now, owner: owner, leaseUntil: leaseUntil, takingBackLeases: true) else {
            return Settlement(jobs: round.jobs, nextDueAt: round.nextDueAt)
        }
        return Settlement(jobs: (round.jobs + rest.jobs).oldestDueFirst, nextDueAt: rest.nextDueAt)
    }

    /// A round in one transaction, statement by statement, under savepoints where another
    /// instance's commit may collide with it.
    func settleInTransaction(
        _ results: [JobResult], claimLimit: Int, now: Int64, owner: String, leaseUntil: Int64, takingBackLeases: Bool = false
    ) async throws -> Settlement {
        try await withSession { session in
            if claimLimit > 0 || takingBackLeases {
                // Expired leases of other instances are taken back first, so this claim can take them.
                let (databaseNow, leasesExpired) = try await self.clockAndExpiredLeases(session, owner: owner)
                if leasesExpired { try await self.expireLeases(session, now: databaseNow, owner: owner) }
            }
            // The next due time is read before the commit: a failure after it would drop jobs
            // that stay leased to this instance.
            let (jobs, nextDue) = try await session.transaction { () -> ([Job], Int64?) in
                let databaseNow: Int64 = try await session.value("SELECT \(unescaped: PostgresSession.now), set_config('synchronous_commit', 'off', true)")
                if !results.isEmpty {
                    try await self.record(session, results, databaseNow: databaseNow, now: now, owner: owner)
                }
                let jobs = claimLimit > 0 ? try await self.claim(session, limit: claimLimit, databaseNow: databaseNow, now: now, owner: owner, leaseUntil: leaseUntil) : []
                return (jobs, try await self.nextDueAt(session, now: now))
            }
            return Settlement(jobs: jobs.oldestDueFirst, nextDueAt: nextDue)
        }
    }

    /// Claims due jobs in the current transaction: together, or one by one when another
    /// instance put one of their calls in flight after the claim looked.
    func claim(_ session: PostgresSession, limit: Int, databaseNow: Int64, now: Int64, owner: String, leaseUntil: Int64) async throws -> [Job] {
        let lease = databaseNow + (leaseUntil - now)
        try await session.execute("SAVEPOINT outcomed_claim")
        do {
            let jobs = try await claimTogether(session, limit: limit, now: databaseNow, owner: owner, lease: lease)
            try await session.execute("RELEASE SAVEPOINT outcomed_claim")
            return jobs
        } catch let error as PSQLError where error.isUniqueViolation {
            try await session.execute("ROLLBACK TO SAVEPOINT outcomed_claim")
            return try await claimOneByOne(session, limit: limit, now: databaseNow, owner: owner, lease: lease)
        }
    }

    /// Records the results of attempts in the current transaction.
    func record(_ session: PostgresSession, _ results: [JobResult], databaseNow: Int64, now: Int64, owner: String) async throws {
        // Locked in call order, as every writer locks jobs: no two wait for each other in a circle.
        var held: [(id: Int64, callID: String)] = []
        for row in try await session.execute("""
            SELECT id, call_id FROM jobs WHERE id = ANY(\(results.map(\.jobID))) AND state = 'in_flight' AND lease_owner = \(owner)
            ORDER BY call_id FOR UPDATE
            """) {
            held.append(try row.decode((Int64, String).self))
        }
        var done: [(id: Int64, status: Int?)] = []
        var dead: [(id: Int64, status: Int?, error: String)] = []
        var back: [(id: Int64, charge: Int, status: Int?, error: String?, next: Int64)] = []
        for result in results {
            switch result {
            case .done(let id, let status): done.append((id, status))
            case .dead(let id, let status, let error): dead.append((id, status, error))
            case .retry(let id, let status, let error, let next): back.append((id, 1, status, error, next))
            case .release(let id, let status, let error, let next): back.append((id, 0, status, error, next))
            }
        }
        if !done.isEmpty {
            try await session.execute("""
                UPDATE jobs SET state = 'done', attempts = attempts + 1, last_status = CASE WHEN r.has_status THEN r.status END,
                                last_error = NULL, lease_owner = NULL, lease_expires_at = NULL, updated_at = \(databaseNow)
                FROM unnest(\(done.map(\.id))::bigint[], \(done.map { $0.status ?? 0 })::bigint[], \(done.map { $0.status != nil })::boolean[])
                     AS r(id, status, has_status)
                WHERE jobs.id = r.id AND jobs.state = 'in_flight' AND jobs.lease_owner = \(owner)
                """)
        }
        if !dead.isEmpty {
            try await session.execute("""
                UPDATE jobs SET state = 'dead', attempts = attempts + 1, last_status = CASE WHEN r.has_status THEN r.status END,
                                last_error = r.error, lease_owner = NULL, lease_expires_at = NULL, updated_at = \(databaseNow)
                FROM unnest(\(dead.map(\.id))::bigint[], \(dead.map { $0.status ?? 0 })::bigint[], \(dead.map { $0.status != nil })::boolean[],
                            \(dead.map(\.error))::text[])
                     AS r(id, status, has_status, error)
                WHERE jobs.id = r.id AND jobs.state = 'in_flight' AND jobs.lease_owner = \(owner)
                """)
        }
        let backByID = Dictionary(back.map { ($0.id, $0) }, uniquingKeysWith: { _, last in last })
        let ordered = held.compactMap { held in backByID[held.id].map { (job: $0, callID: held.callID) } }
        guard !ordered.isEmpty else { return }
        try await session.redoingOnUniqueViolation {
            for (job, callID) in ordered {
                try await self.backToPending(
                    session, id: job.id, callID: callID, charge: job.charge, status: job.status, error: job.error,
                    next: databaseNow + (job.next - now), now: databaseNow, owner: owner
                )
            }
        }
    }

    /// Puts a job `owner` holds back to `pending`, or supersedes it when its call has a newer
    /// pending job already.
    func backToPending(
        _ session: PostgresSession, id: Int64, callID: String, charge: Int, status: Int?, error: String?, next: Int64, now: Int64, owner: String
    ) async throws {
        let newer = try await session.execute("SELECT id FROM jobs WHERE call_id = \(callID) AND state = 'pending'").first.map { try $0.decode(Int64.self) }
        if let newer {
            try await session.execute("""
                UPDATE jobs SET state = 'done', attempts = attempts + \(charge), last_status = \(status), last_error = \("superseded by job \(newer)"),
                                lease_owner = NULL, lease_expires_at = NULL, updated_at = \(now)
                WHERE id = \(id) AND state = 'in_flight' AND lease_owner = \(owner)
                """)
            return
        }
        try await session.execute("""
            UPDATE jobs SET state = 'pending', attempts = attempts + \(charge), last_status = \(status), last_error = \(error), next_attempt_at = \(next),
                            lease_owner = NULL, lease_expires_at = NULL, updated_at = \(now)
            WHERE id = \(id) AND state = 'in_flight' AND lease_owner = \(owner)
            """)
    }

    /// Deletes done jobs last changed before `cutoff`, and events received before it that no
    /// unfinished job needs, in bounded chunks.
    @discardableResult
    public func prune(olderThan cutoff: Int64) async throws -> Int {
        var removed = 0
        while true {
            let count = try await withSession { session in
                let jobs: Int = try await session.value("""
                    WITH removed AS (
                        DELETE FROM jobs WHERE id IN (SELECT id FROM jobs WHERE state = 'done' AND updated_at < \(cutoff) LIMIT 5000) RETURNING 1
                    ) SELECT count(*) FROM removed
                    """)
                let events: Int = try await session.value("""
                    WITH removed AS (
                        DELETE FROM events WHERE id IN (
                            SELECT e.id FROM events e WHERE e.received_at < \(cutoff)
                              AND NOT EXISTS (SELECT 1 FROM jobs j WHERE j.event_id = e.id AND j.state IN ('pending', 'in_flight', 'dead'))
                            LIMIT 5000)
                        RETURNING 1
                    ) SELECT count(*) FROM removed
                    """)
                return jobs + events
            }
            removed += count
            if count == 0 { return removed }
        }
    }
}

fileprivate extension [Job] {
    /// In the order `settle` returns claims: oldest due first, then by id.
    var oldestDueFirst: [Job] {
        sorted { ($0.nextAttemptAt, $0.id) < ($1.nextAttemptAt, $1.id) }
    }
}
