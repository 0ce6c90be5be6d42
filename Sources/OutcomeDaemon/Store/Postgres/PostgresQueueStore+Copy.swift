import Foundation
import NIOCore
import PostgresNIO

/// `queue copy`: what the shared store gives and takes.
extension PostgresQueueStore {
    /// Up to `limit` stored events with ids after `after`, oldest first.
    public func copiedEvents(after: Int64, limit: Int) async throws -> [CopiedEvent] {
        try await withSession { session in
            try await session.execute("""
                SELECT id, idempotency_key, call_id, received_at, body, response FROM events WHERE id > \(after) ORDER BY id LIMIT \(limit)
                """).map { row in
                let (id, key, callID, receivedAt, body, response) = try row.decode((Int64, String, String, Int64, ByteBuffer, String).self)
                return CopiedEvent(id: id, idempotencyKey: key, callID: callID, receivedAt: receivedAt, body: Data(body.readableBytesView), response: response)
            }
        }
    }

    /// Up to `limit` pending, in-flight and dead jobs with ids after `after`, oldest first.
    public func copiedJobs(after: Int64, limit: Int) async throws -> [CopiedJob] {
        try await withSession { session in
            let rows = try await session.execute("""
                SELECT \(unescaped: Job.postgresColumns.split(separator: ",").map { "j." + $0.trimmingCharacters(in: .whitespacesAndNewlines) }.joined(separator: ", ")),
                       e.idempotency_key
                FROM jobs j JOIN events e ON e.id = j.event_id
                WHERE j.id > \(after) AND j.state IN ('pending', 'in_flight', 'dead') ORDER BY j.id LIMIT \(limit)
                """)
            return try rows.map { row in
                let (id, callID, outcome, rule, eventID, state, attempts, nextAttemptAt, lastStatus, lastError, createdAt, updatedAt, leaseOwner, leaseExpiresAt, eventKey) =
                    try row.decode((Int64, String, String, String?, Int64, String, Int, Int64, Int?, String?, Int64, Int64, String?, Int64?, String).self)
                let job = Job(
                    id: id, callID: callID, outcome: outcome, rule: rule, eventID: eventID, state: JobState(rawValue: state) ?? .dead,
                    attempts: attempts, nextAttemptAt: nextAttemptAt, lastStatus: lastStatus, lastError: lastError,
                    createdAt: createdAt, updatedAt: updatedAt, leaseOwner: leaseOwner, leaseExpiresAt: leaseExpiresAt
                )
                return CopiedJob(job: job, eventKey: eventKey)
            }
        }
    }

    /// Adds what this store lacks, in one transaction (see `QueueStore.addCopied`).
    public func addCopied(events: [CopiedEvent], jobs: [CopiedJob], now: Int64) async throws -> CopyCounts {
        try await withSession { session in
            try await session.transaction {
                var counts = CopyCounts()
                for event in events {
                    let added = try await session.execute("""
                        INSERT INTO events (idempotency_key, call_id, received_at, body, response)
                        VALUES (\(event.idempotencyKey), \(event.callID), \(event.receivedAt), \(ByteBuffer(bytes: event.body)), \(event.response))
                        ON CONFLICT (idempotency_key) DO NOTHING
                        RETURNING id
                        """)
                    counts.events += added.count
                }
                for copied in jobs {
                    let job = copied.job
                    guard let eventID = try await session.execute("SELECT id FROM events WHERE idempotency_key = \(copied.eventKey)").first.map({ try $0.decode(Int64.self) }) else { continue }
                    let dead = job.state == .dead
                    let added = try await session.execute("""
                        INSERT INTO jobs (call_id, outcome, rule, event_id, state, attempts, next_attempt_at, last_status, last_error, created_at, updated_at)
                        SELECT \(job.callID), \(job.outcome), \(job.rule), \(eventID), \(dead ? "dead" : "pending"), \(job.attempts),
                               \(job.state == .inFlight ? now : job.nextAttemptAt), \(job.lastStatus), \(job.lastError), \(job.createdAt), \(now)
                        WHERE NOT EXISTS (SELECT 1 FROM jobs WHERE call_id = \(job.callID) AND event_id = \(eventID))
                          AND (\(dead) OR NOT EXISTS (SELECT 1 FROM jobs WHERE call_id = \(job.callID) AND state = 'pending'))
                        RETURNING id
                        """)
                    counts.jobs += added.count
                }
                if counts.jobs > 0 { try await session.execute("NOTIFY \(unescaped: Self.notificationChannel)") }
                return counts
            }
        }
    }
}
