import Foundation
import GRDB

/// `queue copy`: what the embedded store gives and takes.
extension SQLiteQueueStore {
    /// Up to `limit` stored events with ids after `after`, oldest first.
    public func copiedEvents(after: Int64, limit: Int) async throws -> [CopiedEvent] {
        try await database.read { db in
            try Row.fetchAll(
                db, sql: "SELECT id, idempotency_key, call_id, received_at, body, response FROM events WHERE id > ? ORDER BY id LIMIT ?",
                arguments: [after, limit]
            ).map { row in
                CopiedEvent(id: row[0], idempotencyKey: row[1], callID: row[2], receivedAt: row[3], body: row[4], response: row[5])
            }
        }
    }

    /// Up to `limit` pending, in-flight and dead jobs with ids after `after`, oldest first.
    public func copiedJobs(after: Int64, limit: Int) async throws -> [CopiedJob] {
        try await database.read { db in
            try Row.fetchAll(
                db,
                sql: """
                    SELECT j.*, e.idempotency_key AS event_key FROM jobs j JOIN events e ON e.id = j.event_id
                    WHERE j.id > ? AND j.state IN ('pending', 'in_flight', 'dead') ORDER BY j.id LIMIT ?
                    """,
                arguments: [after, limit]
            ).map { row in CopiedJob(job: try Job(row: row), eventKey: row["event_key"]) }
        }
    }

    /// Adds what this store lacks, in one transaction (see `QueueStore.addCopied`).
    public func addCopied(events: [CopiedEvent], jobs: [CopiedJob], now: Int64) async throws -> CopyCounts {
        try await database.write { db in
            var counts = CopyCounts()
            for event in events {
                try db.execute(
                    sql: """
                        INSERT INTO events (idempotency_key, call_id, received_at, body, response) VALUES (?, ?, ?, ?, ?)
                        ON CONFLICT (idempotency_key) DO NOTHING
                        """,
                    arguments: [event.idempotencyKey, event.callID, event.receivedAt, event.body, event.response]
                )
                counts.events += db.changesCount
            }
            for copied in jobs {
                let job = copied.job
                guard let eventID = try Int64.fetchOne(db, sql: "SELECT id FROM events WHERE idempotency_key = ?", arguments: [copied.eventKey]) else { continue }
                let present = try Bool.fetchOne(db, sql: "SELECT EXISTS (SELECT 1 FROM jobs WHERE call_id = ? AND event_id = ?)", arguments: [job.callID, eventID]) ?? false
                let dead = job.state == .dead
                let pending = dead ? nil : try Self.pendingJobID(callID: job.callID, in: db)
                if present || pending != nil { continue }
                try db.execute(
                    sql: """
                        INSERT INTO jobs (call_id, outcome, rule, event_id, state, attempts, next_attempt_at, last_status, last_error, created_at, updated_at)
                        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                        """,
                    arguments: [
                        job.callID, job.outcome, job.rule, eventID, dead ? "dead" : "pending", job.attempts,
                        job.state == .inFlight ? now : job.nextAttemptAt, job.lastStatus, job.lastError, job.createdAt, now,
                    ]
                )
                counts.jobs += 1
            }
            return counts
        }
    }
}
