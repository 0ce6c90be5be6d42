import Foundation
import GRDB
import OutcomeEngine

/// Delivery: claiming due jobs, recording answers, releasing and pruning.
extension QueueStore {
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
        try db.execute(sql: "UPDATE jobs SET state = 'pending', last_error = ?, updated_at = ? WHERE state = 'in_flight'", arguments: [note, now])
        return db.changesCount
    }

    /// Marks up to `limit` due jobs `in_flight` and returns them, oldest due first. A call that
    /// already has a job in flight is skipped, so a call's PATCHes never overlap.
    public func claimDue(limit: Int, now: Int64) async throws -> [Job] {
        guard limit > 0 else { return [] }
        return try await database.write { db in
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
            let update = try db.cachedStatement(sql: "UPDATE jobs SET state = 'in_flight', updated_at = ? WHERE id = ?")
            for job in jobs { try update.execute(arguments: [now, job.id]) }
            return jobs.map { job in
                var job = job
                job.state = .inFlight
                return job
            }
        }
    }

    /// The earliest time a pending job is due, in Unix milliseconds.
    public func nextDueAt() async throws -> Int64? {
        try await database.read { db in
            try Int64.fetchOne(db, sql: "SELECT MIN(next_attempt_at) FROM jobs WHERE state = 'pending'")
        }
    }

    /// Records the results of attempts in one transaction.
    public func complete(_ results: [JobResult], now: Int64) async throws {
        guard !results.isEmpty else { return }
        try await database.write { db in
            for result in results {
                switch result {
                case .done(let id, let status):
                    try db.cachedStatement(sql: "UPDATE jobs SET state = 'done', attempts = attempts + 1, last_status = ?, last_error = NULL, updated_at = ? WHERE id = ? AND state = 'in_flight'")
                        .execute(arguments: [status, now, id])
                case .dead(let id, let status, let error):
                    try db.execute(
                        sql: "UPDATE jobs SET state = 'dead', attempts = attempts + 1, last_status = ?, last_error = ?, updated_at = ? WHERE id = ? AND state = 'in_flight'",
                        arguments: [status, error, now, id]
                    )
                case .retry(let id, let status, let error, let next):
                    try Self.backToPending(id: id, charge: 1, status: status, error: error, next: next, now: now, in: db)
                case .release(let id, let status, let error, let next):
                    try Self.backToPending(id: id, charge: 0, status: status, error: error, next: next, now: now, in: db)
                }
            }
        }
    }

    static func backToPending(id: Int64, charge: Int, status: Int?, error: String?, next: Int64, now: Int64, in db: Database) throws {
        let newer = try Int64.fetchOne(
            db,
            sql: "SELECT p.id FROM jobs p JOIN jobs j ON p.call_id = j.call_id WHERE j.id = ? AND p.state = 'pending'",
            arguments: [id]
        )
        if let newer {
            try db.execute(
                sql: "UPDATE jobs SET state = 'done', attempts = attempts + ?, last_status = ?, last_error = ?, updated_at = ? WHERE id = ? AND state = 'in_flight'",
                arguments: [charge, status, "superseded by job \(newer)", now, id]
            )
            return
        }
        try db.execute(
            sql: "UPDATE jobs SET state = 'pending', attempts = attempts + ?, last_status = ?, last_error = ?, next_attempt_at = ?, updated_at = ? WHERE id = ? AND state = 'in_flight'",
            arguments: [charge, status, error, next, now, id]
        )
    }

    /// Puts every job in flight back to pending without charging it (graceful shutdown).
    @discardableResult
    public func releaseAllInFlight(now: Int64) async throws -> Int {
        try await database.write { db in
            try Self.releaseInFlight(db, now: now, note: "interrupted by shutdown")
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
