import Foundation
import GRDB
import OutcomeEngine

/// Readiness: a write that proves the store takes commits again.
extension SQLiteQueueStore {
    /// Writes about an event's worth of bytes in a transaction of its own, which waits at most
    /// half a second for a lock: whether a commit goes through now (readiness, after a failure).
    public func probeWrite(now: Int64) async -> Result<Void, any Error> {
        guard let probe else { return .failure(StoreError(path: path, reason: "the store file cannot be opened")) }
        do {
            try await probe.write { db in
                try db.execute(
                    sql: """
                        INSERT INTO health (id, checked_at, padding) VALUES (1, ?, zeroblob(16384))
                        ON CONFLICT(id) DO UPDATE SET checked_at = excluded.checked_at, padding = excluded.padding
                        """,
                    arguments: [now]
                )
            }
            return .success(())
        } catch {
            return .failure(error)
        }
    }
}
