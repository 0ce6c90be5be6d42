import Foundation
import GRDB

extension SQLiteQueueStore: EventHistory {
    // MARK: Back-test

    /// Streams from one read transaction (a WAL snapshot), so intake goes on while it runs.
    public func forEachLatestEvent(receivedSince since: Int64, _ body: (StoredEvent) throws -> Void) throws {
        try database.read { db in
            let rows = try Row.fetchCursor(
                db,
                sql: """
                    SELECT id, call_id, received_at, body, response FROM events
                    WHERE id IN (SELECT max(id) FROM events WHERE received_at >= ? GROUP BY call_id)
                    ORDER BY id
                    """,
                arguments: [since]
            )
            while let row = try rows.next() {
                let data = row.dataNoCopy(atIndex: 3) ?? Data()
                try body(StoredEvent(id: row[0], callID: row[1], receivedAt: row[2], body: data, response: row[4]))
            }
        }
    }
}

extension SQLiteQueueStore {
    /// Opens an existing store for the back-test and the report; a missing file is an error,
    /// not a new empty store.
    public static func openExisting(path: String) throws(StoreError) -> SQLiteQueueStore {
        guard FileManager.default.fileExists(atPath: path) else {
            throw StoreError(path: path, reason: "no store here (queue.path of the config); has outcomed serve run with this config?")
        }
        return try SQLiteQueueStore(path: path)
    }
}
