import Foundation
import GRDB
import OutcomeEngine

/// What the `queue` commands read and change.
extension SQLiteQueueStore {
    /// Counts by state and the age of the oldest pending job, read on GRDB's reader queue, so
    /// that a large table never holds up the caller's thread.
    public func stats(now: Int64) async throws -> QueueStats {
        try await database.read { db in try Self.stats(db, now: now) }
    }

    static func stats(_ db: Database, now: Int64) throws -> QueueStats {
        var stats = QueueStats(pending: 0, inFlight: 0, done: 0, dead: 0, oldestPendingAgeSeconds: 0)
        for row in try Row.fetchAll(db, sql: "SELECT state, COUNT(*) AS n FROM jobs GROUP BY state") {
            let n: Int = row["n"]
            switch JobState(rawValue: row["state"]) {
            case .pending: stats.pending = n
            case .inFlight: stats.inFlight = n
            case .done: stats.done = n
            case .dead: stats.dead = n
            case nil: break
            }
        }
        if let oldest = try Int64.fetchOne(db, sql: "SELECT MIN(created_at) FROM jobs WHERE state = 'pending'") {
            stats.oldestPendingAgeSeconds = max(0, Double(now - oldest) / 1000)
        }
        return stats
    }

    /// Jobs, newest first, optionally of one state and one call.
    public func list(state: JobState?, callID: String?, limit: Int) async throws -> [Job] {
        var conditions: [String] = []
        var arguments: StatementArguments = []
        if let state {
            conditions.append("state = ?")
            arguments += [state.rawValue]
        }
        if let callID {
            conditions.append("call_id = ?")
            arguments += [callID]
        }
        let filter = conditions.isEmpty ? "" : "WHERE " + conditions.joined(separator: " AND ")
        arguments += [limit]
        let bound = arguments
        return try await database.read { db in
            try Job.fetchAll(db, sql: "SELECT * FROM jobs \(filter) ORDER BY id DESC LIMIT ?", arguments: bound)
        }
    }

    /// One job by id.
    public func job(_ id: Int64) async throws -> Job? {
        try await database.read { db in try Job.fetchOne(db, sql: "SELECT * FROM jobs WHERE id = ?", arguments: [id]) }
    }

    /// Puts dead jobs back to pending with their attempts reset: the given ones, or every dead
    /// job when `ids` is nil. A job whose call already has a pending job is skipped.
    public func retry(ids: [Int64]?, now: Int64) async throws -> OperatorChange {
        try await database.write { db in
            let candidates = try ids.map { ids in
                try Job.fetchAll(db, sql: "SELECT * FROM jobs WHERE id IN (\(ids.map { _ in "?" }.joined(separator: ",")))", arguments: StatementArguments(ids))
            } ?? Job.fetchAll(db, sql: "SELECT * FROM jobs WHERE state = 'dead' ORDER BY id")
            var change = OperatorChange()
            for id in ids ?? [] where !candidates.contains(where: { $0.id == id }) {
                change.skipped.append("job \(id): no such job")
            }
            for job in candidates {
                guard job.state == .dead else {
                    change.skipped.append("job \(job.id): is \(job.state.rawValue), only dead jobs are retried")
                    continue
                }
                if let pending = try Self.pendingJobID(callID: job.callID, in: db) {
                    change.skipped.append("job \(job.id): call \(job.callID) already has pending job \(pending)")
                    continue
                }
                try db.execute(
                    sql: "UPDATE jobs SET state = 'pending', attempts = 0, next_attempt_at = ?, created_at = ?, last_error = NULL, updated_at = ? WHERE id = ?",
                    arguments: [now, now, now, job.id]
                )
                change.changed.append(job.id)
            }
            return change
        }
    }

    /// Cancels pending jobs: they become dead with `cancelled by operator`, and can be retried.
    public func cancel(ids: [Int64], now: Int64) async throws -> OperatorChange {
        try await database.write { db in
            var change = OperatorChange()
            for id in ids {
                guard let job = try Job.fetchOne(db, sql: "SELECT * FROM jobs WHERE id = ?", arguments: [id]) else {
                    change.skipped.append("job \(id): no such job")
                    continue
                }
                guard job.state == .pending else {
                    change.skipped.append("job \(id): is \(job.state.rawValue), only pending jobs are cancelled")
                    continue
                }
                try db.execute(
                    sql: "UPDATE jobs SET state = 'dead', last_error = 'cancelled by operator', updated_at = ? WHERE id = ? AND state = 'pending'",
                    arguments: [now, id]
                )
                change.changed.append(id)
            }
            return change
        }
    }

    /// Deletes done or dead jobs last changed before `cutoff`; returns how many.
    public func purge(state: JobState, before cutoff: Int64) async throws -> Int {
        try await database.write { db in
            try db.execute(sql: "DELETE FROM jobs WHERE state = ? AND updated_at < ?", arguments: [state.rawValue, cutoff])
            return db.changesCount
        }
    }
}
