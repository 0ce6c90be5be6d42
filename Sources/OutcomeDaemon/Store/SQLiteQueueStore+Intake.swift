import Foundation
import GRDB
import OutcomeEngine

/// Intake: events and the jobs they queue, committed in groups.
extension SQLiteQueueStore {
    /// Commits records in one transaction: each event is stored and its decision queued, or
    /// found to be a duplicate. Returns one receipt per record, in order.
    ///
    /// With `waitingUntil`, the commit gives up at that instant, counting the time spent
    /// queued behind delivery's writes as well as the wait for another process's lock: a sender
    /// waits one busy timeout in all, not one per writer ahead of it.
    public func record(_ records: [IntakeRecord], now: Int64, waitingUntil deadline: ContinuousClock.Instant? = nil) throws -> [IntakeReceipt] {
        guard let deadline else {
            return try database.write { db in try Self.record(records, now: now, in: db) }
        }
        return try database.writeWithoutTransaction { db in
            let remaining = deadline - .now
            guard remaining > .zero else { throw StoreError(path: path, reason: "the store is locked by another process") }
            try db.execute(sql: "PRAGMA busy_timeout = \(remaining.milliseconds)")
            defer { try? db.execute(sql: "PRAGMA busy_timeout = \(busyTimeout.milliseconds)") }
            var receipts: [IntakeReceipt] = []
            try db.inTransaction(.immediate) {
                receipts = try Self.record(records, now: now, in: db)
                return .commit
            }
            return receipts
        }
    }

    static func record(_ records: [IntakeRecord], now: Int64, in db: Database) throws -> [IntakeReceipt] {
        var ids = try RowIDs(db)
        return try records.map { try Self.record($0, now: now, ids: &ids, in: db) }
    }

    /// The next ids of `events` and `jobs`, read once per transaction. The writer holds the
    /// write lock, so it can name each row's id up front and store the 202 body with the row
    /// instead of rewriting the row once SQLite has picked the id.
    struct RowIDs {
        var event: Int64
        var job: Int64

        init(_ db: Database) throws {
            let row = try Row.fetchOne(db.cachedStatement(sql: """
                SELECT max(coalesce((SELECT seq FROM sqlite_sequence WHERE name = 'events'), 0), coalesce((SELECT max(id) FROM events), 0)) + 1,
                       max(coalesce((SELECT seq FROM sqlite_sequence WHERE name = 'jobs'), 0), coalesce((SELECT max(id) FROM jobs), 0)) + 1
                """))
            event = row?[0] ?? 1
            job = row?[1] ?? 1
        }
    }

    static func record(_ record: IntakeRecord, now: Int64, ids: inout RowIDs, in db: Database) throws -> IntakeReceipt {
        let existing = try db.cachedStatement(sql: "SELECT id, response FROM events WHERE idempotency_key = ?")
        if let row = try Row.fetchOne(existing, arguments: [record.idempotencyKey]) {
            return IntakeReceipt(eventID: row["id"], jobID: nil, duplicate: true, response: row["response"])
        }
        let eventID = ids.event
        ids.event += 1
        var jobID: Int64?
        if record.decision.action == .queued, let outcome = record.decision.outcome {
            jobID = try enqueue(callID: record.callID, outcome: outcome, rule: record.decision.rule, eventID: eventID, now: now, ids: &ids, in: db)
        }
        let response = record.response(eventID: eventID, jobID: jobID)
        try db.cachedStatement(sql: "INSERT INTO events (id, idempotency_key, call_id, received_at, body, response) VALUES (?, ?, ?, ?, ?, ?)")
            .execute(arguments: [eventID, record.idempotencyKey, record.callID, now, Data(record.body), response])
        return IntakeReceipt(eventID: eventID, jobID: jobID, duplicate: false, response: response)
    }

    /// One call, one line: a pending job for the call takes the new decision; else a new job
    /// is added, which waits while the call has a job in flight.
    static func enqueue(callID: String, outcome: String, rule: String?, eventID: Int64, now: Int64, ids: inout RowIDs, in db: Database) throws -> Int64 {
        if let pending = try pendingJobID(callID: callID, in: db) {
            try db.cachedStatement(sql: "UPDATE jobs SET outcome = ?, rule = ?, event_id = ?, created_at = ?, updated_at = ? WHERE id = ?")
                .execute(arguments: [outcome, rule, eventID, now, now, pending])
            return pending
        }
        let jobID = ids.job
        ids.job += 1
        try db.cachedStatement(sql: """
            INSERT INTO jobs (id, call_id, outcome, rule, event_id, state, attempts, next_attempt_at, created_at, updated_at)
            VALUES (?, ?, ?, ?, ?, 'pending', 0, ?, ?, ?)
            """).execute(arguments: [jobID, callID, outcome, rule, eventID, now, now, now])
        return jobID
    }

    /// The call's pending job, if it has one (there is at most one).
    static func pendingJobID(callID: String, in db: Database) throws -> Int64? {
        try Int64.fetchOne(db.cachedStatement(sql: "SELECT id FROM jobs WHERE call_id = ? AND state = 'pending'"), arguments: [callID])
    }
}
