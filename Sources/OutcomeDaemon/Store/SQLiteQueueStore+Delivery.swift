import Foundation
import GRDB
import OutcomeEngine

/// Delivery: claiming due jobs, recording answers, releasing and pruning.
extension SQLiteQueueStore {
    /// Puts jobs left `in_flight` by a process that died back to `pending` (a PATCH of the same
    /// outcome is idempotent). A job whose call has a newer pending job is superseded instead.
    @discardableResult
    public func recoverInFlight(now: Int64) async throws -> Int {
        try await database.write { db in
            try Self.releaseInFlight(db, now: now, note: "recovered after a restart")
        }
    }

    static func releaseInFlight(_ db: Database, now: Int64, note: String) throws -> Int {
        try db.execute(
            sql: """
                UPDATE jobs SET state = 'done', last_error = 'superseded by a later decision', updated_at = ?
                WHERE state = 'in_flight' AND call_id IN (SELECT call_id FROM jobs WHERE state = 'pending')
                """,
            arguments: [now]
        )
        try db.execute(
            sql: "UPDATE jobs SET state = 'pending', last_error = ?, lease_owner = NULL, lease_expires_at = NULL, updated_at = ? WHERE state = 'in_flight'",
            arguments: [note, now]
        )
        return db.changesCount
    }

    /// Returns to `pending`, uncharged, every job whose lease another instance let expire (it
    /// died or stalled); a job whose call has a newer pending decision is superseded instead.
    /// An instance's own jobs are its own: it still holds them, or their results, in memory.
    static func expireLeases(_ db: Database, now: Int64, owner: String) throws {
        try db.cachedStatement(sql: """
            UPDATE jobs SET state = 'done', last_error = 'superseded by a later decision', lease_owner = NULL, lease_expires_at = NULL, updated_at = ?1
            WHERE state = 'in_flight' AND lease_expires_at <= ?1 AND lease_owner IS NOT ?2
              AND call_id IN (SELECT call_id FROM jobs WHERE state = 'pending')
            """).execute(arguments: [now, owner])
        try db.cachedStatement(sql: """
            UPDATE jobs SET state = 'pending', last_error = 'the lease of ' || coalesce(lease_owner, 'an instance') || ' expired',
                            lease_owner = NULL, lease_expires_at = NULL, updated_at = ?1
            WHERE state = 'in_flight' AND lease_expires_at <= ?1 AND lease_owner IS NOT ?2
            """).execute(arguments: [now, owner])
    }

    /// Records a delivery round's results and claims the next jobs in one transaction. A result
    /// counts only while `owner` still holds the job's lease; expired leases of other instances
    /// are taken back before the claim; a call that already has a job in flight is skipped, so
    /// a call's PATCHes never overlap.
    public func settle(_ results: [JobResult], claimLimit: Int, now: Int64, owner: String, leaseUntil: Int64) async throws -> Settlement {
        try await bookkeeping { db in
            try Self.record(results, db, now: now, owner: owner)
            let jobs = claimLimit > 0 ? try Self.claim(db, limit: claimLimit, now: now, owner: owner, leaseUntil: leaseUntil) : []
            let due = try Int64.fetchOne(db, sql: "SELECT MIN(next_attempt_at) FROM jobs WHERE state = 'pending'")
            return Settlement(jobs: jobs, nextDueAt: due)
        }
    }

    /// Delivery's writes commit without an fsync of their own (`synchronous=NORMAL`), so they
    /// do not queue intake's commits behind theirs: a claim lost to a power cut comes back at
    /// start, and a lost result re-sends an idempotent PATCH. The next intake commit's fsync
    /// makes them durable too, as the WAL is written in order. Intake stays `FULL`.
    func bookkeeping<T: Sendable>(_ body: @escaping @Sendable (Database) throws -> T) async throws -> T {
        try await database.writeWithoutTransaction { db in
            try db.execute(sql: "PRAGMA synchronous = NORMAL")
            defer { try? db.execute(sql: "PRAGMA synchronous = FULL") }
            var result: T?
            try db.inTransaction(.immediate) {
                result = try body(db)
                return .commit
            }
            guard let result else { throw StoreError(path: self.path, reason: "a delivery transaction returned nothing") }
            return result
        }
    }

    static func claim(_ db: Database, limit: Int, now: Int64, owner: String, leaseUntil: Int64) throws -> [Job] {
        try expireLeases(db, now: now, owner: owner)
        let jobs = try Job.fetchAll(
            db,
            sql: """
                SELECT * FROM jobs
                WHERE state = 'pending' AND next_attempt_at <= ?
                  AND call_id NOT IN (SELECT call_id FROM jobs WHERE state = 'in_flight')
                ORDER BY next_attempt_at, id
                LIMIT ?
                """,
            arguments: [now, limit]
        )
        let update = try db.cachedStatement(sql: "UPDATE jobs SET state = 'in_flight', lease_owner = ?, lease_expires_at = ?, updated_at = ? WHERE id = ?")
        for job in jobs { try update.execute(arguments: [owner, leaseUntil, now, job.id]) }
        return jobs.map { job in
            var job = job
            job.state = .inFlight
            job.leaseOwner = owner
            job.leaseExpiresAt = leaseUntil
            return job
        }
    }

    static func record(_ results: [JobResult], _ db: Database, now: Int64, owner: String) throws {
        for result in results {
            switch result {
            case .done(let id, let status):
                try db.cachedStatement(sql: "UPDATE jobs SET state = 'done', attempts = attempts + 1, last_status = ?, last_error = NULL, lease_owner = NULL, lease_expires_at = NULL, updated_at = ? WHERE id = ? AND state = 'in_flight' AND lease_owner IS ?")
                    .execute(arguments: [status, now, id, owner])
            case .dead(let id, let status, let error):
                try db.execute(
                    sql: "UPDATE jobs SET state = 'dead', attempts = attempts + 1, last_status = ?, last_error = ?, lease_owner = NULL, lease_expires_at = NULL, updated_at = ? WHERE id = ? AND state = 'in_flight' AND lease_owner IS ?",
                    arguments: [status, error, now, id, owner]
                )
            case .retry(let id, let status, let error, let next):
                try backToPending(id: id, charge: 1, status: status, error: error, next: next, now: now, owner: owner, in: db)
            case .release(let id, let status, let error, let next):
                try backToPending(id: id, charge: 0, status: status, error: error, next: next, now: now, owner: owner, in: db)
            }
        }
    }

    static func backToPending(id: Int64, charge: Int, status: Int?, error: String?, next: Int64, now: Int64, owner: String, in db: Database) throws {
        let newer = try Int64.fetchOne(
            db,
            sql: "SELECT p.id FROM jobs p JOIN jobs j ON p.call_id = j.call_id WHERE j.id = ? AND p.state = 'pending'",
            arguments: [id]
        )
        if let newer {
            try db.execute(
                sql: "UPDATE jobs SET state = 'done', attempts = attempts + ?, last_status = ?, last_error = ?, lease_owner = NULL, lease_expires_at = NULL, updated_at = ? WHERE id = ? AND state = 'in_flight' AND lease_owner IS ?",
                arguments: [charge, status, "superseded by job \(newer)", now, id, owner]
            )
            return
        }
        try db.execute(
            sql: """
                UPDATE jobs SET state = 'pending', attempts = attempts + ?, last_status = ?, last_error = ?, next_attempt_at = ?,
                                lease_owner = NULL, lease_expires_at = NULL, updated_at = ?
                WHERE id = ? AND state = 'in_flight' AND lease_owner IS ?
                """,
            arguments: [charge, status, error, next, now, id, owner]
        )
    }

    /// Puts the jobs `owner` holds back to pending without charging them (graceful shutdown).
    @discardableResult
    public func releaseAllInFlight(now: Int64, owner: String) async throws -> Int {
        try await database.write { db in
            try db.execute(
                sql: """
                    UPDATE jobs SET state = 'done', last_error = 'superseded by a later decision', lease_owner = NULL, lease_expires_at = NULL, updated_at = ?
                    WHERE state = 'in_flight' AND lease_owner IS ? AND call_id IN (SELECT call_id FROM jobs WHERE state = 'pending')
                    """,
                arguments: [now, owner]
            )
            try db.execute(
                sql: "UPDATE jobs SET state = 'pending', last_error = 'interrupted by shutdown', lease_owner = NULL, lease_expires_at = NULL, updated_at = ? WHERE state = 'in_flight' AND lease_owner IS ?",
                arguments: [now, owner]
            )
            return db.changesCount
        }
    }

    /// Deletes done jobs and events older than `retention`, in bounded chunks.
    @discardableResult
    public func prune(olderThan cutoff: Int64) async throws -> Int {
        var removed = 0
        while true {
            let count = try await database.write { db -> Int in
                try db.execute(
                    sql: "DELETE FROM jobs WHERE id IN (SELECT id FROM jobs WHERE state = 'done' AND updated_at < ? LIMIT 5000)",
                    arguments: [cutoff]
                )
                var changed = db.changesCount
                try db.execute(
                    sql: """
                        DELETE FROM events WHERE id IN (
                            SELECT id FROM events WHERE received_at < ?
                              AND id NOT IN (SELECT event_id FROM jobs WHERE state IN ('pending', 'in_flight', 'dead'))
                            LIMIT 5000)
                        """,
                    arguments: [cutoff]
                )
                changed += db.changesCount
                return changed
            }
            removed += count
            if count == 0 { return removed }
        }
    }
}
