import Dispatch
import Foundation
import NIOCore
import PostgresNIO
import Synchronization

/// The back-test's reads (`replay`, `report`) and `replay --apply`'s writes.
extension PostgresQueueStore: EventHistory {
    /// Rows per page of the back-test's read.
    static let historyPage = 500

    /// Streams the latest event of each call received since `since`, in pages of call ids (so
    /// in call id order, not time order), none newer than the newest event when the call
    /// started. The back-test is synchronous: call it from a thread of its own (`onOwnThread`),
    /// never from the concurrency pool, which fetches the pages meanwhile.
    public func forEachLatestEvent(receivedSince since: Int64, _ body: (StoredEvent) throws -> Void) throws {
        let ceiling: Int64 = try Self.wait { try await self.withSession { try await $0.value("SELECT coalesce(max(id), 0)::bigint FROM events") } }
        var after: String?
        while true {
            let cursor = after
            let page = try Self.wait { try await self.latestEvents(since: since, ceiling: ceiling, afterCall: cursor) }
            for event in page { try body(event) }
            guard page.count == Self.historyPage, let last = page.last else { return }
            after = last.callID
        }
    }

    private func latestEvents(since: Int64, ceiling: Int64, afterCall: String?) async throws -> [StoredEvent] {
        let limit = Self.historyPage
        return try await withSession { session in
            try await session.execute("""
                SELECT DISTINCT ON (call_id) id, call_id, received_at, body, response FROM events
                WHERE received_at >= \(since) AND id <= \(ceiling) AND (\(afterCall == nil) OR call_id > \(afterCall ?? ""))
                ORDER BY call_id, id DESC
                LIMIT \(limit)
                """).map { row in
                let (id, callID, receivedAt, body, response) = try row.decode((Int64, String, Int64, ByteBuffer, String).self)
                return StoredEvent(id: id, callID: callID, receivedAt: receivedAt, body: Data(body.readableBytesView), response: response)
            }
        }
    }

    /// Waits on this (non-pool) thread for `work`, which runs on the pool.
    private static func wait<T: Sendable>(_ work: @escaping @Sendable () async throws -> T) throws -> T {
        let result = Mutex<Result<T, any Error>?>(nil)
        let done = DispatchSemaphore(value: 0)
        Task {
            do {
                let value = try await work()
                result.withLock { $0 = .success(value) }
            } catch {
                result.withLock { $0 = .failure(error) }
            }
            done.signal()
        }
        done.wait()
        guard let outcome = result.withLock({ $0 }) else { throw PostgresStoreFailure.missingRow }
        return try outcome.get()
    }

    /// Queues the changes a call at a time, each in its own transaction with the call's pending
    /// job locked: a call whose pending job comes from a newer event keeps it.
    public func queueReplayed(_ changes: [ReplayChange], now: Int64) async throws -> [ReplayQueueing] {
        var results: [ReplayQueueing] = []
        results.reserveCapacity(changes.count)
        for change in changes {
            let result = try await withSession { session in
                try await session.transaction { () -> ReplayQueueing in
                    let pending = try await session.execute("""
                        SELECT id, event_id FROM jobs WHERE call_id = \(change.callID) AND state = 'pending' FOR UPDATE
                        """).first.map { try $0.decode((Int64, Int64).self) }
                    if let pending, pending.1 > change.eventID { return .newerPending(jobID: pending.0) }
                    let id: Int64 = try await session.value("""
                        INSERT INTO jobs (call_id, outcome, rule, event_id, state, attempts, next_attempt_at, created_at, updated_at)
                        VALUES (\(change.callID), \(change.outcome), \(change.rule), \(change.eventID), 'pending', 0,
                                \(unescaped: PostgresSession.now), \(unescaped: PostgresSession.now), \(unescaped: PostgresSession.now))
                        ON CONFLICT (call_id) WHERE state = 'pending' DO UPDATE
                        SET outcome = excluded.outcome, rule = excluded.rule, event_id = excluded.event_id,
                            created_at = excluded.created_at, updated_at = excluded.updated_at
                        RETURNING id
                        """)
                    try await session.execute("NOTIFY \(unescaped: Self.notificationChannel)")
                    return .queued(jobID: id)
                }
            }
            results.append(result)
        }
        return results
    }
}
