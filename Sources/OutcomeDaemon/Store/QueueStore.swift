import Foundation
import GRDB
import OutcomeEngine

/// The durable queue: stored events and PATCH jobs in one SQLite file (WAL, `synchronous=FULL`).
/// It owns the database and is safe to share; other processes (the `queue` commands) may open
/// the same file at the same time.
public final class QueueStore: Sendable {
    /// The SQLite file.
    public let path: String
    /// How long a write waits for a lock held by another process.
    public let busyTimeout: Duration
    let database: DatabasePool
    /// A separate connection for readiness probes, so a probe neither waits behind queued
    /// writes nor for long on a lock.
    private let probe: DatabaseQueue?

    /// Opens and migrates the store at `path`, creating it unless `create` is false (the queue
    /// commands only read or change a store that `serve` made); a write waits up to
    /// `busyTimeout` for a lock held by another process before it fails.
    public init(path: String, busyTimeout: Duration = .seconds(5), create: Bool = true) throws(StoreError) {
        if !create, !FileManager.default.fileExists(atPath: path) {
            throw StoreError(path: path, reason: "no store here; `outcomed serve` creates it, the queue commands only open one")
        }
        self.path = path
        self.busyTimeout = busyTimeout
        var configuration = Configuration()
        configuration.busyMode = .timeout(busyTimeout.seconds)
        configuration.prepareDatabase { db in
            try db.execute(sql: "PRAGMA synchronous = FULL")
            try db.execute(sql: "PRAGMA wal_autocheckpoint = \(Self.checkpointPages)")
        }
        do {
            let directory = (path as NSString).deletingLastPathComponent
            if !directory.isEmpty, !FileManager.default.fileExists(atPath: directory) {
                try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
            }
            database = try DatabasePool(path: path, configuration: configuration)
            try Self.migrator.migrate(database)
            var probeConfiguration = Configuration()
            probeConfiguration.busyMode = .timeout(0.5)
            probe = try? DatabaseQueue(path: path, configuration: probeConfiguration)
        } catch {
            throw StoreError(path: path, reason: "cannot open the store: \(error)")
        }
    }

    /// WAL pages after which a commit also checkpoints. A checkpoint runs inside the commit
    /// that crosses the limit, so a quarter of SQLite's default keeps each one short (intake
    /// p99 at 10,000 events/s falls from about 17 to 12 ms).
    static let checkpointPages = 250

    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1: events and jobs") { db in
            try db.execute(sql: """
                CREATE TABLE events (
                    id INTEGER PRIMARY KEY AUTOINCREMENT,
                    idempotency_key TEXT NOT NULL UNIQUE,
                    call_id TEXT NOT NULL,
                    received_at INTEGER NOT NULL,
                    body BLOB NOT NULL,
                    response TEXT NOT NULL
                );
                CREATE INDEX events_received_at ON events(received_at);
                CREATE TABLE jobs (
                    id INTEGER PRIMARY KEY AUTOINCREMENT,
                    call_id TEXT NOT NULL,
                    outcome TEXT NOT NULL,
                    rule TEXT,
                    event_id INTEGER NOT NULL,
                    state TEXT NOT NULL CHECK (state IN ('pending', 'in_flight', 'done', 'dead')),
                    attempts INTEGER NOT NULL DEFAULT 0,
                    next_attempt_at INTEGER NOT NULL,
                    last_status INTEGER,
                    last_error TEXT,
                    created_at INTEGER NOT NULL,
                    updated_at INTEGER NOT NULL
                );
                CREATE UNIQUE INDEX jobs_one_pending_per_call ON jobs(call_id) WHERE state = 'pending';
                CREATE UNIQUE INDEX jobs_one_in_flight_per_call ON jobs(call_id) WHERE state = 'in_flight';
                CREATE INDEX jobs_due ON jobs(state, next_attempt_at);
                CREATE INDEX jobs_state_created ON jobs(state, created_at);
                CREATE INDEX jobs_state_updated ON jobs(state, updated_at);
                """)
        }
        migrator.registerMigration("v2: health probe") { db in
            try db.execute(sql: "CREATE TABLE health (id INTEGER PRIMARY KEY CHECK (id = 1), checked_at INTEGER NOT NULL)")
        }
        migrator.registerMigration("v3: health probe writes an event's size") { db in
            try db.execute(sql: "ALTER TABLE health ADD COLUMN padding BLOB")
        }
        return migrator
    }

    // MARK: Intake

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

    // MARK: Delivery

    /// Puts jobs left `in_flight` by a process that died back to `pending` (a PATCH of the same
    /// outcome is idempotent). A job whose call has a newer pending job is superseded instead.
    @discardableResult
    public func recoverInFlight(now: Int64) async throws -> Int {
        try await database.write { db in
            try Self.releaseInFlight(db, now: now, note: "recovered after a restart")
        }
    }

    static func releaseInFlight(_ db: Database, now: Int64, note: String) throws -> Int {
        try db.execute(
            sql: """
                UPDATE jobs SET state = 'done', last_error = 'superseded by a later decision', updated_at = ?
                WHERE state = 'in_flight' AND call_id IN (SELECT call_id FROM jobs WHERE state = 'pending')
                """,
            arguments: [now]
        )
        try db.execute(sql: "UPDATE jobs SET state = 'pending', last_error = ?, updated_at = ? WHERE state = 'in_flight'", arguments: [note, now])
        return db.changesCount
    }

    /// Marks up to `limit` due jobs `in_flight` and returns them, oldest due first. A call that
    /// already has a job in flight is skipped, so a call's PATCHes never overlap.
    public func claimDue(limit: Int, now: Int64) async throws -> [Job] {
        guard limit > 0 else { return [] }
        return try await database.write { db in
            let jobs = try Job.fetchAll(
                db,
                sql: """
                    SELECT * FROM jobs
                    WHERE state = 'pending' AND next_attempt_at <= ?
                      AND call_id NOT IN (SELECT call_id FROM jobs WHERE state = 'in_flight')
                    ORDER BY next_attempt_at, id
                    LIMIT ?
                    """,
                arguments: [now, limit]
            )
            let update = try db.cachedStatement(sql: "UPDATE jobs SET state = 'in_flight', updated_at = ? WHERE id = ?")
            for job in jobs { try update.execute(arguments: [now, job.id]) }
            return jobs.map { job in
                var job = job
                job.state = .inFlight
                return job
            }
        }
    }

    /// The earliest time a pending job is due, in Unix milliseconds.
    public func nextDueAt() async throws -> Int64? {
        try await database.read { db in
            try Int64.fetchOne(db, sql: "SELECT MIN(next_attempt_at) FROM jobs WHERE state = 'pending'")
        }
    }

    /// Records the results of attempts in one transaction.
    public func complete(_ results: [JobResult], now: Int64) async throws {
        guard !results.isEmpty else { return }
        try await database.write { db in
            for result in results {
                switch result {
                case .done(let id, let status):
                    try db.cachedStatement(sql: "UPDATE jobs SET state = 'done', attempts = attempts + 1, last_status = ?, last_error = NULL, updated_at = ? WHERE id = ? AND state = 'in_flight'")
                        .execute(arguments: [status, now, id])
                case .dead(let id, let status, let error):
                    try db.execute(
                        sql: "UPDATE jobs SET state = 'dead', attempts = attempts + 1, last_status = ?, last_error = ?, updated_at = ? WHERE id = ? AND state = 'in_flight'",
                        arguments: [status, error, now, id]
                    )
                case .retry(let id, let status, let error, let next):
                    try Self.backToPending(id: id, charge: 1, status: status, error: error, next: next, now: now, in: db)
                case .release(let id, let status, let error, let next):
                    try Self.backToPending(id: id, charge: 0, status: status, error: error, next: next, now: now, in: db)
                }
            }
        }
    }

    static func backToPending(id: Int64, charge: Int, status: Int?, error: String?, next: Int64, now: Int64, in db: Database) throws {
        let newer = try Int64.fetchOne(
            db,
            sql: "SELECT p.id FROM jobs p JOIN jobs j ON p.call_id = j.call_id WHERE j.id = ? AND p.state = 'pending'",
            arguments: [id]
        )
        if let newer {
            try db.execute(
                sql: "UPDATE jobs SET state = 'done', attempts = attempts + ?, last_status = ?, last_error = ?, updated_at = ? WHERE id = ? AND state = 'in_flight'",
                arguments: [charge, status, "superseded by job \(newer)", now, id]
            )
            return
        }
        try db.execute(
            sql: "UPDATE jobs SET state = 'pending', attempts = attempts + ?, last_status = ?, last_error = ?, next_attempt_at = ?, updated_at = ? WHERE id = ? AND state = 'in_flight'",
            arguments: [charge, status, error, next, now, id]
        )
    }

    /// Puts every job in flight back to pending without charging it (graceful shutdown).
    @discardableResult
    public func releaseAllInFlight(now: Int64) async throws -> Int {
        try await database.write { db in
            try Self.releaseInFlight(db, now: now, note: "interrupted by shutdown")
        }
    }

    /// Deletes done jobs and events older than `retention`, in bounded chunks.
    @discardableResult
    public func prune(olderThan cutoff: Int64) async throws -> Int {
        var removed = 0
        while true {
            let count = try await database.write { db -> Int in
                try db.execute(
                    sql: "DELETE FROM jobs WHERE id IN (SELECT id FROM jobs WHERE state = 'done' AND updated_at < ? LIMIT 5000)",
                    arguments: [cutoff]
                )
                var changed = db.changesCount
                try db.execute(
                    sql: """
                        DELETE FROM events WHERE id IN (
                            SELECT id FROM events WHERE received_at < ?
                              AND id NOT IN (SELECT event_id FROM jobs WHERE state IN ('pending', 'in_flight', 'dead'))
                            LIMIT 5000)
                        """,
                    arguments: [cutoff]
                )
                changed += db.changesCount
                return changed
            }
            removed += count
            if count == 0 { return removed }
        }
    }

    // MARK: Health

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

    // MARK: Operator

    /// Counts by state and the age of the oldest pending job.
    public func stats(now: Int64) throws -> QueueStats {
        try database.read { db in try Self.stats(db, now: now) }
    }

    /// The same, read on GRDB's reader queue, so that a large table never holds up the caller's thread.
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
    public func list(state: JobState?, callID: String?, limit: Int) throws -> [Job] {
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
        return try database.read { db in
            try Job.fetchAll(db, sql: "SELECT * FROM jobs \(filter) ORDER BY id DESC LIMIT ?", arguments: arguments)
        }
    }

    /// One job by id.
    public func job(_ id: Int64) throws -> Job? {
        try database.read { db in try Job.fetchOne(db, sql: "SELECT * FROM jobs WHERE id = ?", arguments: [id]) }
    }

    /// Puts dead jobs back to pending with their attempts reset: the given ones, or every dead
    /// job when `ids` is nil. A job whose call already has a pending job is skipped.
    public func retry(ids: [Int64]?, now: Int64) throws -> OperatorChange {
        try database.write { db in
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
    public func cancel(ids: [Int64], now: Int64) throws -> OperatorChange {
        try database.write { db in
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
    public func purge(state: JobState, before cutoff: Int64) throws -> Int {
        try database.write { db in
            try db.execute(sql: "DELETE FROM jobs WHERE state = ? AND updated_at < ?", arguments: [state.rawValue, cutoff])
            return db.changesCount
        }
    }
}
