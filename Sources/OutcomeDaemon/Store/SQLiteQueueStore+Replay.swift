import GRDB

extension SQLiteQueueStore {
    // MARK: Replay

    /// Queues changes through the normal queue (one call, one line), in transactions of `batch`.
    /// A call whose pending job comes from an event newer than the replayed one keeps it.
    public func queueReplayed(_ changes: [ReplayChange], now: Int64) async throws -> [ReplayQueueing] {
        let batch = 500
        var results: [ReplayQueueing] = []
        results.reserveCapacity(changes.count)
        var start = changes.startIndex
        while start < changes.endIndex {
            let end = min(start + batch, changes.endIndex)
            let chunk = changes[start..<end]
            results += try await database.write { db in
                var ids = try RowIDs(db)
                let pending = try db.cachedStatement(sql: "SELECT id, event_id FROM jobs WHERE call_id = ? AND state = 'pending'")
                return try chunk.map { change in
                    if let row = try Row.fetchOne(pending, arguments: [change.callID]), (row[1] as Int64) > change.eventID {
                        return .newerPending(jobID: row[0])
                    }
                    let jobID = try Self.enqueue(
                        callID: change.callID, outcome: change.outcome, rule: change.rule, eventID: change.eventID, now: now, ids: &ids, in: db
                    )
                    return .queued(jobID: jobID)
                }
            }
            start = end
        }
        return results
    }
}
