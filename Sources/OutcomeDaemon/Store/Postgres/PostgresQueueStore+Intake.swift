import NIOCore
import OutcomeEngine
import PostgresNIO

/// Intake: events and the jobs they queue, committed in groups.
extension PostgresQueueStore {
    /// Commits records in one transaction: each event is stored and its decision queued, or
    /// found to be a duplicate, also of an event another instance stores at the same moment.
    /// Waits for a connection, a lock or a statement at most until `deadline`.
    public func commit(_ records: [IntakeRecord], now: Int64, deadline: ContinuousClock.Instant?) async throws -> [IntakeReceipt] {
        guard !records.isEmpty else { return [] }
        let deadline = deadline ?? .now + busyTimeout
        return try await withSession(until: deadline) { session in
            var tries = 1
            while true {
                let remaining = deadline - .now
                guard remaining > .zero else { throw PostgresStoreFailure.deadlinePassed }
                do {
                    return try await session.transaction { try await Self.record(records, waitingAtMost: remaining, in: session) }
                } catch PostgresStoreFailure.concurrentDuplicate where tries < PostgresSession.redoLimit {
                    tries += 1
                }
            }
        }
    }

    /// Stores a batch in three statements, whatever its size. The first record of an
    /// idempotency key is stored, later ones are its duplicates; a call's queued decisions go to
    /// one job, which takes the last of them (one call, one line).
    static func record(_ records: [IntakeRecord], waitingAtMost limit: Duration, in session: PostgresSession) async throws -> [IntakeReceipt] {
        let keys = Array(Set(records.map(\.idempotencyKey)))
        var keysSeen = Set<String>()
        let callsAtMost = Set(records.filter { keysSeen.insert($0.idempotencyKey).inserted && $0.queuedOutcome != nil }.map(\.callID)).count
        let (lockTimeout, statementTimeout) = PostgresSession.settings(limitingWaitsTo: limit)
        // The wait limits apply from here on (this read takes no lock). Ids are taken for every
        // record that may be new; a duplicate leaves a gap.
        guard let row = try await session.execute("""
            SELECT set_config('lock_timeout', \(lockTimeout), true), set_config('statement_timeout', \(statementTimeout), true),
                   \(unescaped: PostgresSession.now),
                   ARRAY(SELECT nextval('events_id_seq') FROM generate_series(1, \(keys.count))),
                   ARRAY(SELECT nextval('jobs_id_seq') FROM generate_series(1, \(callsAtMost))),
                   stored.keys, stored.ids, stored.responses
            FROM (
                SELECT coalesce(array_agg(idempotency_key), '{}') AS keys, coalesce(array_agg(id), '{}') AS ids,
                       coalesce(array_agg(response), '{}') AS responses
                FROM events WHERE idempotency_key = ANY(\(keys))
            ) stored
            """).first else { throw PostgresStoreFailure.missingRow }
        let (_, _, now, newEventIDs, newJobIDs, storedKeys, storedIDs, storedResponses) =
            try row.decode((String, String, Int64, [Int64], [Int64], [String], [Int64], [String]).self)
        var stored: [String: IntakeReceipt] = [:]
        for (key, (id, response)) in zip(storedKeys, zip(storedIDs, storedResponses)) {
            stored[key] = IntakeReceipt(eventID: id, jobID: nil, duplicate: true, response: response)
        }

        var fresh: [Int] = []
        var seen = Set<String>()
        for (index, record) in records.enumerated() where stored[record.idempotencyKey] == nil && seen.insert(record.idempotencyKey).inserted {
            fresh.append(index)
        }
        var lastDecision: [String: Int] = [:]
        var calls: [String] = []
        for index in fresh where records[index].queuedOutcome != nil {
            if lastDecision.updateValue(index, forKey: records[index].callID) == nil { calls.append(records[index].callID) }
        }
        var eventIDs: [Int: Int64] = [:]
        for (index, id) in zip(fresh, newEventIDs) { eventIDs[index] = id }

        var jobIDs: [String: Int64] = [:]
        if !calls.isEmpty {
            let decisions = calls.map { records[lastDecision[$0] ?? 0] }
            let rules = decisions.map(\.decision.rule)
            // The commit wakes every instance that listens (a materialized CTE notifies once).
            let rows = try await session.execute("""
                WITH queued AS (
                    INSERT INTO jobs (id, call_id, outcome, rule, event_id, state, attempts, next_attempt_at, created_at, updated_at)
                    SELECT d.id, d.call_id, d.outcome, CASE WHEN d.has_rule THEN d.rule END, d.event_id, 'pending', 0, \(now), \(now), \(now)
                    FROM unnest(\(Array(newJobIDs.prefix(calls.count)))::bigint[], \(calls)::text[], \(decisions.map { $0.queuedOutcome ?? "" })::text[],
                                \(rules.map { $0 ?? "" })::text[], \(rules.map { $0 != nil })::boolean[],
                                \(calls.map { eventIDs[lastDecision[$0] ?? 0] ?? 0 })::bigint[])
                         AS d(id, call_id, outcome, rule, has_rule, event_id)
                    ORDER BY d.call_id
                    ON CONFLICT (call_id) WHERE state = 'pending' DO UPDATE
                    SET outcome = excluded.outcome, rule = excluded.rule, event_id = excluded.event_id,
                        created_at = excluded.created_at, updated_at = excluded.updated_at
                    RETURNING id, call_id
                ), notified AS MATERIALIZED (SELECT pg_notify(\(notificationChannel), ''))
                SELECT queued.id, queued.call_id FROM queued CROSS JOIN notified
                """)
            for row in rows {
                let (id, callID) = try row.decode((Int64, String).self)
                jobIDs[callID] = id
            }
        }

        var receipts: [Int: IntakeReceipt] = [:]
        for index in fresh {
            let record = records[index]
            let eventID = eventIDs[index] ?? 0
            let jobID = record.queuedOutcome == nil ? nil : jobIDs[record.callID]
            receipts[index] = IntakeReceipt(eventID: eventID, jobID: jobID, duplicate: false, response: record.response(eventID: eventID, jobID: jobID))
        }
        if !fresh.isEmpty {
            let inserted = try await session.execute("""
                INSERT INTO events (id, idempotency_key, call_id, received_at, body, response)
                SELECT e.id, e.idempotency_key, e.call_id, \(now), e.body, e.response
                FROM unnest(\(fresh.map { eventIDs[$0] ?? 0 })::bigint[], \(fresh.map { records[$0].idempotencyKey })::text[],
                            \(fresh.map { records[$0].callID })::text[], \(fresh.map { ByteBuffer(bytes: records[$0].body) })::bytea[],
                            \(fresh.map { receipts[$0]?.response ?? "" })::text[])
                     AS e(id, idempotency_key, call_id, body, response)
                ORDER BY e.idempotency_key
                ON CONFLICT (idempotency_key) DO NOTHING
                RETURNING id
                """)
            // Another instance stored one of these keys after the check above: redo, and find it.
            guard inserted.count == fresh.count else { throw PostgresStoreFailure.concurrentDuplicate }
        }
        var firstOfKey: [String: IntakeReceipt] = [:]
        return records.indices.map { index in
            let key = records[index].idempotencyKey
            if let receipt = receipts[index] {
                firstOfKey[key] = receipt
                return receipt
            }
            var first = stored[key] ?? firstOfKey[key] ?? IntakeReceipt(eventID: 0, jobID: nil, duplicate: true, response: "")
            first.jobID = nil
            first.duplicate = true
            return first
        }
    }
}

fileprivate extension IntakeRecord {
    /// The outcome to send when the decision is queued.
    var queuedOutcome: String? {
        decision.action == .queued ? decision.outcome : nil
    }
}
