import Foundation
import GRDB
import GRDBSQLite
import OutcomeEngine

/// Intake: events and the jobs they queue, committed in groups.
extension SQLiteQueueStore {
    /// Commits records in one transaction: each event is stored and its decision queued, or
    /// found to be a duplicate. Returns one receipt per record, in order.
    public func record(_ records: [IntakeRecord], now: Int64) throws -> [IntakeReceipt] {
        try database.write { db in try Self.record(records, now: now, handoff: nil, in: db) }.receipts
    }

    /// Commits records as `record(_:now:)` does, giving up at `deadline`; with `handoff`, new
    /// jobs go in flight for its owner within its limit.
    ///
    /// The deadline counts the time spent queued behind delivery's writes as well as the wait
    /// for another process's lock: a sender waits one busy timeout in all, not one per writer
    /// ahead of it.
    func record(_ records: [IntakeRecord], now: Int64, waitingUntil deadline: ContinuousClock.Instant, handoff: IntakeHandoff?) throws -> IntakeCommit {
        try database.writeWithoutTransaction { db in
            let remaining = deadline - .now
            guard remaining > .zero else { throw StoreError(path: path, reason: "the store is locked by another process") }
            // What `PRAGMA busy_timeout` sets, without compiling a new statement twice a commit.
            sqlite3_busy_timeout(db.sqliteConnection, Int32(clamping: remaining.milliseconds))
            defer { sqlite3_busy_timeout(db.sqliteConnection, Int32(clamping: busyTimeout.milliseconds)) }
            var commit = IntakeCommit(receipts: [])
            try db.inTransaction(.immediate) {
                commit = try Self.record(records, now: now, handoff: handoff, in: db)
                return .commit
            }
            return commit
        }
    }

    static func record(_ records: [IntakeRecord], now: Int64, handoff: IntakeHandoff?, in db: Database) throws -> IntakeCommit {
        var ids = try RowIDs(db)
        var room = handoff.map { HandoffRoom(handoff: $0, now: now) }
        let alone = handoff == nil ? [] : records.callsAlone
        var receipts: [IntakeReceipt] = []
        receipts.reserveCapacity(records.count)
        for (index, record) in records.enumerated() {
            receipts.append(try Self.record(record, now: now, ids: &ids, room: &room, alone: handoff != nil && alone[index], in: db))
        }
        return IntakeCommit(receipts: receipts, handedOff: room?.taken ?? [])
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

    static func record(_ record: IntakeRecord, now: Int64, ids: inout RowIDs, room: inout HandoffRoom?, alone: Bool, in db: Database) throws -> IntakeReceipt {
        let existing = try RawStatement(db, sql: "SELECT id, response FROM events WHERE idempotency_key = ?")
        try existing.bind(1, record.idempotencyKey)
        if try existing.step() {
            return IntakeReceipt(eventID: existing.int64(0), jobID: nil, duplicate: true, response: existing.string(1))
        }
        let eventID = ids.event
        ids.event += 1
        var jobID: Int64?
        var handedOff = false
        if record.decision.action == .queued, let outcome = record.decision.outcome {
            if var open = room, alone, open.taken.count < open.handoff.limit, try !hasJob(callID: record.callID, in: db) {
                let job = try handOff(callID: record.callID, outcome: outcome, rule: record.decision.rule, eventID: eventID, room: open, ids: &ids, in: db)
                open.taken.append(job)
                room = open
                (jobID, handedOff) = (job.id, true)
            } else {
                jobID = try enqueue(callID: record.callID, outcome: outcome, rule: record.decision.rule, eventID: eventID, now: now, ids: &ids, in: db)
            }
        }
        let response = record.response(eventID: eventID, jobID: jobID)
        let insert = try RawStatement(db, sql: "INSERT INTO events (id, idempotency_key, call_id, received_at, body, response) VALUES (?, ?, ?, ?, ?, ?)")
        try insert.bind(1, eventID)
        try insert.bind(2, record.idempotencyKey)
        try insert.bind(3, record.callID)
        try insert.bind(4, now)
        try insert.bind(5, blob: record.body)
        try insert.bind(6, response)
        try insert.execute()
        return IntakeReceipt(eventID: eventID, jobID: jobID, duplicate: false, response: response, handedOff: handedOff)
    }

    /// One call, one line: a pending job for the call takes the new decision; else a new job
    /// is added, which waits while the call has a job in flight.
    static func enqueue(callID: String, outcome: String, rule: String?, eventID: Int64, now: Int64, ids: inout RowIDs, in db: Database) throws -> Int64 {
        if let pending = try pendingJobID(callID: callID, in: db) {
            let update = try RawStatement(db, sql: "UPDATE jobs SET outcome = ?1, rule = ?2, event_id = ?3, created_at = ?4, updated_at = ?4 WHERE id = ?5")
            try update.bind(1, outcome)
            try update.bind(2, rule)
            try update.bind(3, eventID)
            try update.bind(4, now)
            try update.bind(5, pending)
            try update.execute()
            return pending
        }
        let job = Job(
            id: ids.job, callID: callID, outcome: outcome, rule: rule, eventID: eventID, state: .pending, attempts: 0,
            nextAttemptAt: now, lastStatus: nil, lastError: nil, createdAt: now, updatedAt: now, leaseOwner: nil, leaseExpiresAt: nil
        )
        ids.job += 1
        try insert(job, in: db)
        return job.id
    }

    /// Adds the call's job in flight, leased to the handoff's owner (the call has no job pending
    /// or in flight).
    static func handOff(callID: String, outcome: String, rule: String?, eventID: Int64, room: HandoffRoom, ids: inout RowIDs, in db: Database) throws -> Job {
        let job = Job(
            id: ids.job, callID: callID, outcome: outcome, rule: rule, eventID: eventID, state: .inFlight, attempts: 0,
            nextAttemptAt: room.now, lastStatus: nil, lastError: nil, createdAt: room.now, updatedAt: room.now,
            leaseOwner: room.handoff.owner, leaseExpiresAt: room.now + room.handoff.leaseMillis
        )
        ids.job += 1
        try insert(job, in: db)
        return job
    }

    /// Adds a new job row: its id, times and lease as `job` has them, not yet attempted.
    static func insert(_ job: Job, in db: Database) throws {
        let statement = try RawStatement(db, sql: """
            INSERT INTO jobs (id, call_id, outcome, rule, event_id, state, attempts, next_attempt_at, created_at, updated_at, lease_owner, lease_expires_at)
            VALUES (?1, ?2, ?3, ?4, ?5, ?6, 0, ?7, ?8, ?9, ?10, ?11)
            """)
        try statement.bind(1, job.id)
        try statement.bind(2, job.callID)
        try statement.bind(3, job.outcome)
        try statement.bind(4, job.rule)
        try statement.bind(5, job.eventID)
        try statement.bind(6, job.state.rawValue)
        try statement.bind(7, job.nextAttemptAt)
        try statement.bind(8, job.createdAt)
        try statement.bind(9, job.updatedAt)
        try statement.bind(10, job.leaseOwner)
        try statement.bind(11, job.leaseExpiresAt)
        try statement.execute()
    }

    /// The call's pending job, if it has one (there is at most one).
    static func pendingJobID(callID: String, in db: Database) throws -> Int64? {
        let pending = try RawStatement(db, sql: "SELECT id FROM jobs WHERE call_id = ? AND state = 'pending'")
        try pending.bind(1, callID)
        return try pending.step() ? pending.int64(0) : nil
    }

    /// Whether the call has a job pending or in flight.
    static func hasJob(callID: String, in db: Database) throws -> Bool {
        let query = try RawStatement(db, sql: hasJobQuery)
        try query.bind(1, callID)
        return try query.step() ? query.int64(0) != 0 : true
    }

    /// Two lookups, each matching one partial index on `call_id` exactly: with `state IN (...)`
    /// SQLite would walk every pending and in-flight job instead.
    static let hasJobQuery = """
        SELECT EXISTS (SELECT 1 FROM jobs WHERE call_id = ?1 AND state = 'pending')
            OR EXISTS (SELECT 1 FROM jobs WHERE call_id = ?1 AND state = 'in_flight')
        """

    /// A commit's handoff, and the jobs it has put in flight so far.
    struct HandoffRoom {
        let handoff: IntakeHandoff
        let now: Int64
        var taken: [Job] = []
    }
}
