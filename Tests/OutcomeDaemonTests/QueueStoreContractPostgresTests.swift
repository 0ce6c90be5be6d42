import Foundation
import Logging
import PostgresNIO
import Synchronization
import Testing
import TestSupport
@testable import OutcomeDaemon

/// What only the shared store must do (SPEC §10): keep the contract between instances that act
/// at the same moment, wake them up, and keep its schema.
@Suite(.timeLimit(.minutes(1)))
struct QueueStoreContractPostgresTests {
    @Test func anEventPostedToTwoInstancesAtOnceIsStoredOnce() async throws {
        try await Self.withTwoInstances { first, second, _ in
            for round in 0..<20 {
                let keys = ["k\(round)-a", "k\(round)-b", "k\(round)-c"]
                let records = keys.enumerated().map { Contract.record($1, call: "c\((round + $0) % 4)") }
                async let one = first.commit(records, now: WallClock.milliseconds(), deadline: nil)
                async let other = second.commit(records.reversed(), now: WallClock.milliseconds(), deadline: nil)
                let (receipts, otherReceipts) = try await (one, other)
                for (index, receipt) in receipts.enumerated() {
                    let twin = otherReceipts[records.count - 1 - index]
                    #expect(receipt.duplicate != twin.duplicate, "exactly one instance stored \(keys[index])")
                    #expect(receipt.eventID == twin.eventID && receipt.response == twin.response)
                }
            }
            let stats = try await Contract.stats(first)
            #expect(stats.pending == 4, "one job per call")
        }
    }

    /// A prepared statement's generic plan is made once per connection, perhaps while the tables
    /// are young: made there with the planner's defaults, it read every row once they were big
    /// (intake's duplicate lookup scanned all events). outcomed's connections plan index reads,
    /// also for intake's statement, which runs inside a procedure and keeps its plan there.
    @Test func plansMadeWhileTheTablesWereYoungStillReadThroughIndexesOnceTheyAreBig() async throws {
        // One connection: the store's prepared statements and the EXPLAINs below share it. Every
        // plan generic from the first run, as the server would choose after five.
        try await Self.withOneConnection(parameters: [("plan_cache_mode", "force_generic_plan")]) { client, store in
            // No ANALYZE behind the test's back: it would have the plans made again.
            try await client.query("ALTER TABLE events SET (autovacuum_enabled = off)")
            try await client.query("ALTER TABLE jobs SET (autovacuum_enabled = off)")
            for index in 0..<10 {
                _ = try await Contract.commit(store, "young-\(index)", call: "young-\(index)")
                let now = WallClock.milliseconds()
                let jobs = try await store.settle([], claimLimit: 1, now: now, owner: "o", leaseUntil: now + 60_000).jobs
                _ = try await store.settle(jobs.map { .done(jobID: $0.id, status: 200) }, claimLimit: 0, now: now, owner: "o", leaseUntil: now)
            }
            // Big tables, and no ANALYZE since they were young.
            try await client.query("""
                INSERT INTO events (idempotency_key, call_id, received_at, body, response)
                SELECT 'big-' || g, 'big-' || g, 0, '\\x00', '' FROM generate_series(1, 30000) g
                """)
            try await client.query("""
                INSERT INTO jobs (call_id, outcome, event_id, state, attempts, next_attempt_at, created_at, updated_at)
                SELECT 'big-' || g, 'interested', g, 'done', 1, 0, 0, 0 FROM generate_series(1, 30000) g
                """)
            let generic = try await client.query("""
                SELECT generic_plans FROM pg_prepared_statements WHERE name = \(DeliveryRoundStatement.name)
                """).collect().map { try $0.decode(Int64.self) }
            #expect(generic.count == 1 && generic.allSatisfy { $0 > 0 }, "the round runs its cached generic plan: \(generic)")
            let round = try await Self.plan(client, """
                EXPLAIN EXECUTE \(unescaped: DeliveryRoundStatement.name)('o', ARRAY[1]::bigint[], ARRAY['done'], ARRAY[200]::bigint[], ARRAY[true], ARRAY[''], 4, 60000)
                """)
            #expect(!round.contains("Seq Scan"), "the round reads a whole table:\n\(round)")
            // Intake's statement runs in a procedure, which EXPLAIN cannot show: count what it reads instead.
            let before = try await Self.reads(client)
            let commit = try await store.commit(
                [Contract.record("grown-1", call: "big-7"), Contract.record("grown-2", call: "grown-2")], now: WallClock.milliseconds(),
                deadline: nil, handoff: IntakeHandoff(owner: "o", limit: 2, leaseMillis: 60_000)
            )
            #expect(commit.receipts.count == 2 && commit.handedOff.count == 2)
            let after = try await Self.reads(client)
            #expect(after.sequentialScans == before.sequentialScans, "intake read a whole table")
            #expect(after.indexEntries - before.indexEntries < 1_000, "intake read a whole index: \(after.indexEntries - before.indexEntries) entries")
        }
    }

    /// A commit waits for a connection until its deadline, not for the statement that holds the
    /// only one, and the connection serves the next commit once it is free.
    @Test func aCommitThatFindsNoFreeConnectionByItsDeadlineFailsSayingSo() async throws {
        try await Self.withOneConnection { client, store in
            let holding = Atomic(false)
            async let held: Void = client.withConnection { connection in
                holding.store(true, ordering: .releasing)
                try await connection.query("SELECT pg_sleep(3)", logger: Contract.quiet)
            }
            while !holding.load(ordering: .acquiring) { try await Task.sleep(for: .milliseconds(5)) }
            let started = ContinuousClock.now
            await #expect {
                _ = try await store.commit([Contract.record("waits", call: "waits")], now: WallClock.milliseconds(), deadline: .now + .milliseconds(300))
            } throws: { error in
                (error as? StoreError)?.reason.contains("no connection to PostgreSQL came free") == true
            }
            let waited = ContinuousClock.now - started
            #expect(waited >= .milliseconds(300) && waited < .seconds(2), "waited \(waited)")
            let receipt = try await Contract.commit(store, "after", call: "after")
            #expect(!receipt.duplicate && receipt.jobID != nil)
            try await held
        }
    }

    /// Runs `body` with a migrated store on a new database, over a client that opens at most one
    /// connection, with `parameters` set on it.
    static func withOneConnection(
        parameters: [(String, String)] = [], _ body: @escaping @Sendable (PostgresClient, PostgresQueueStore) async throws -> Void
    ) async throws {
        try await PostgresTestDatabase.withDatabase { database in
            var configuration = try PostgresURL(database.location + "?sslmode=disable").clientConfiguration(pool: 1)
            configuration.options.maximumConnections = 1
            configuration.options.additionalStartupParameters += parameters
            let client = PostgresClient(configuration: configuration, backgroundLogger: Logger(label: "test") { _ in SwiftLogNoOpLogHandler() })
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask { await client.run() }
                defer { group.cancelAll() }
                let store = Contract.postgresStore(client, database)
                try await store.migrate()
                try await body(client, store)
            }
        }
    }

    /// Whole-table reads of `events` and `jobs` so far, and index entries read, this connection's included.
    static func reads(_ client: PostgresClient) async throws -> (sequentialScans: Int64, indexEntries: Int64) {
        try await client.query("SELECT pg_stat_force_next_flush()")
        let rows = try await client.query("""
            SELECT (SELECT sum(seq_scan) FROM pg_stat_user_tables WHERE relname IN ('events', 'jobs'))::bigint,
                   (SELECT sum(idx_tup_read) FROM pg_stat_user_indexes WHERE relname IN ('events', 'jobs'))::bigint
            """).collect()
        guard let row = rows.first else { throw PostgresStoreFailure.missingRow }
        let (scans, entries) = try row.decode((Int64, Int64).self)
        return (scans, entries)
    }

    /// The plan of an `EXPLAIN`, one line per row.
    static func plan(_ client: PostgresClient, _ explain: PostgresQuery) async throws -> String {
        try await client.query(explain).collect().map { try $0.decode(String.self) }.joined(separator: "\n")
    }

    @Test func twoInstancesClaimingAtOnceNeverHoldJobsOfOneCall() async throws {
        try await Self.withTwoInstances { first, second, _ in
            let ledger = ClaimLedger()
            var lastOutcome: [String: String] = [:]
            var batches: [[IntakeRecord]] = []
            for batch in 0..<60 {
                batches.append((0..<4).map { index in
                    let call = "c\((batch * 7 + index * 3) % 8)"
                    lastOutcome[call] = "outcome-\(batch)"
                    return Contract.record("k\(batch)-\(index)", call: call, outcome: "outcome-\(batch)")
                })
            }
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask { [batches] in
                    for (number, batch) in batches.enumerated() {
                        _ = try await (number % 2 == 0 ? first : second).commit(batch, now: WallClock.milliseconds(), deadline: nil)
                    }
                    ledger.intakeDone.withLock { $0 = true }
                }
                for (owner, store) in [("a", first), ("b", second)] {
                    group.addTask {
                        for _ in 0..<20000 {
                            let jobs = try await Contract.claim(store, owner, limit: 3)
                            if jobs.isEmpty {
                                let stats = try await Contract.stats(store)
                                if ledger.intakeDone.withLock({ $0 }) && stats.pending == 0 && stats.inFlight == 0 { return }
                                continue
                            }
                            ledger.hold(jobs, owner: owner)
                            let results = jobs.map { job -> JobResult in
                                guard ledger.released.withLock({ $0.insert(job.id).inserted }) else { return .done(jobID: job.id, status: 200) }
                                return .release(jobID: job.id, status: nil, error: nil, nextAttemptAt: WallClock.milliseconds())
                            }
                            ledger.drop(jobs)
                            try await Contract.complete(store, results, owner: owner)
                        }
                        Issue.record("owner \(owner) did not see the queue drained")
                    }
                }
                try await group.waitForAll()
            }
            #expect(ledger.overlaps.withLock { $0 }.isEmpty)
            let stats = try await Contract.stats(first)
            #expect(stats.pending == 0 && stats.inFlight == 0 && stats.dead == 0)
            for (call, outcome) in lastOutcome {
                let latest = try #require(try await first.list(state: nil, callID: call, limit: 1).first)
                #expect(latest.outcome == outcome && latest.state == .done, "the last decision for \(call) was delivered")
            }
        }
    }

    @Test func migratingTwiceOrFromTwoInstancesAtOnceAppliesEachStepOnce() async throws {
        try await PostgresTestDatabase.withDatabase { database in
            try await database.withClient { client in
                let first = Contract.postgresStore(database.client, database)
                let second = Contract.postgresStore(client, database)
                async let one: Void = first.migrate()
                async let other: Void = second.migrate()
                _ = try await (one, other)
                try await first.migrate()
                let versions = try await database.client.query("SELECT version FROM outcomed_schema ORDER BY version").collect().map { try $0.decode(Int.self) }
                #expect(versions == Array(1...PostgresQueueStore.schemaVersion))
                #expect(try await Contract.queue(second, "k1", call: "c1") > 0)
            }
        }
    }

    @Test func aSchemaNewerThanThisOutcomedIsRefused() async throws {
        try await PostgresTestDatabase.withDatabase { database in
            let store = Contract.postgresStore(database.client, database)
            try await store.migrate()
            let known = PostgresQueueStore.schemaVersion
            try await database.client.query("INSERT INTO outcomed_schema (version, name, applied_at) VALUES (\(known + 1), 'from a newer outcomed', 0)")
            let error = await #expect(throws: StoreError.self) { try await store.migrate() }
            #expect(error?.reason == "the schema is version \(known + 1), newer than this outcomed knows (\(known)); upgrade outcomed")
            #expect(error?.path == database.location)
        }
    }

    @Test func aCommitThatQueuesAJobNotifiesTheListeners() async throws {
        try await PostgresTestDatabase.withDatabase { database in
            let store = Contract.postgresStore(database.client, database)
            try await store.migrate()
            try await database.withConnection { connection in
                try await connection.listen(on: PostgresQueueStore.notificationChannel) { notifications in
                    _ = try await Contract.queue(store, "k1", call: "c1")
                    var iterator = notifications.makeAsyncIterator()
                    #expect(try await iterator.next() != nil)
                }
            }
        }
    }

    @Test func aClaimSkipsACallThatAnotherInstancePutInFlightMeanwhile() async throws {
        try await PostgresTestDatabase.withDatabase { database in
            let store = Contract.postgresStore(database.client, database)
            try await store.migrate()
            let old = try await Self.doneJob(store, call: "c1")
            let waiting = try await Contract.queue(store, "k2", call: "c1")
            let other = try await Contract.queue(store, "k3", call: "c2")
            let claimed = try await Self.whileAnotherInstancePutsInFlight(old, database) { try await Contract.claim(store, "a") }
            #expect(claimed.map(\.id) == [other])
            #expect(try await Contract.job(store, waiting).state == .pending)
        }
    }

    @Test func aHandoffThatMeetsACallAnotherInstancePutInFlightMeanwhileQueuesTheJobPendingInstead() async throws {
        try await PostgresTestDatabase.withDatabase { database in
            let store = Contract.postgresStore(database.client, database)
            try await store.migrate()
            let old = try await Self.doneJob(store, call: "c1")
            let commit = try await Self.whileAnotherInstancePutsInFlight(old, database) {
                try await store.commit(
                    [Contract.record("k2", call: "c1", outcome: "callback"), Contract.record("k3", call: "c2")], now: WallClock.milliseconds(),
                    deadline: nil, handoff: IntakeHandoff(owner: "a", limit: 2, leaseMillis: 60_000)
                )
            }
            #expect(commit.handedOff.isEmpty && commit.receipts.map(\.handedOff) == [false, false])
            for receipt in commit.receipts {
                #expect(try await Contract.job(store, try #require(receipt.jobID)).state == .pending)
            }
            #expect(try await Contract.job(store, old).leaseOwner == "intruder")
        }
    }

    @Test func aJobPutBackMeetingAPendingJobAddedMeanwhileIsSupersededByIt() async throws {
        try await PostgresTestDatabase.withDatabase { database in
            let store = Contract.postgresStore(database.client, database)
            try await store.migrate()
            let first = try await Contract.queue(store, "k1", call: "c1")
            _ = try await Contract.claim(store, "a")
            let newer = try await database.withConnection { other in
                try await other.query("BEGIN", logger: Contract.quiet)
                let newer = try await other.query("""
                    INSERT INTO jobs (call_id, outcome, event_id, state, attempts, next_attempt_at, created_at, updated_at)
                    VALUES ('c1', 'callback', 0, 'pending', 0, 0, 0, 0) RETURNING id
                    """, logger: Contract.quiet).collect().first.map { try $0.decode(Int64.self) }
                try await withThrowingTaskGroup(of: Void.self) { group in
                    group.addTask {
                        let now = WallClock.milliseconds()
                        try await store.complete([.retry(jobID: first, status: 503, error: "HTTP 503", nextAttemptAt: now)], now: now, owner: "a")
                    }
                    try await Self.waitForALockWait(database)
                    try await other.query("COMMIT", logger: Contract.quiet)
                    try await group.waitForAll()
                }
                return try #require(newer)
            }
            let superseded = try await Contract.job(store, first)
            #expect(superseded.state == .done && superseded.attempts == 1 && superseded.lastError == "superseded by job \(newer)")
            #expect(try await Contract.job(store, newer).state == .pending)
        }
    }

    @Test func aCommitGivesUpAtItsDeadlineWhenALockIsHeld() async throws {
        try await PostgresTestDatabase.withDatabase { database in
            let store = Contract.postgresStore(database.client, database)
            try await store.migrate()
            let id = try await Contract.queue(store, "k1", call: "c1")
            try await database.withConnection { holder in
                try await holder.query("BEGIN", logger: Contract.quiet)
                try await holder.query("SELECT id FROM jobs WHERE id = \(id) FOR UPDATE", logger: Contract.quiet)
                let error = await #expect(throws: StoreError.self) {
                    try await store.commit([Contract.record("k2", call: "c1", outcome: "callback")], now: WallClock.milliseconds(), deadline: .now + .milliseconds(300))
                }
                #expect(error?.reason.contains("lock") == true, "\(String(describing: error))")
                try await holder.query("ROLLBACK", logger: Contract.quiet)
            }
            let receipt = try await Contract.commit(store, "k2", call: "c1", outcome: "callback")
            #expect(!receipt.duplicate && receipt.jobID == id, "the commit that gave up stored nothing")
        }
    }

    static func withTwoInstances(_ body: (PostgresQueueStore, PostgresQueueStore, PostgresTestDatabase) async throws -> Void) async throws {
        try await PostgresTestDatabase.withDatabase { database in
            let first = Contract.postgresStore(database.client, database)
            try await first.migrate()
            try await database.withClient { client in
                try await body(first, Contract.postgresStore(client, database), database)
            }
        }
    }

    /// Queues a job for `call`, claims it and records it done; returns its id.
    static func doneJob(_ store: PostgresQueueStore, call: String) async throws -> Int64 {
        let id = try await Contract.queue(store, "done-\(call)", call: call)
        _ = try await Contract.claim(store, "a")
        try await Contract.complete(store, [.done(jobID: id, status: 200)], owner: "a")
        return id
    }

    /// Runs `body` while another session puts job `id` back in flight: not committed yet, so
    /// `body` does not see it, then meets it in the unique index and waits; the other session
    /// commits once it does. Returns what `body` returned.
    static func whileAnotherInstancePutsInFlight<T: Sendable>(
        _ id: Int64, _ database: PostgresTestDatabase, _ body: @escaping @Sendable () async throws -> T
    ) async throws -> T {
        try await database.withConnection { intruder in
            try await intruder.query("BEGIN", logger: Contract.quiet)
            try await intruder.query("UPDATE jobs SET state = 'in_flight', lease_owner = 'intruder', lease_expires_at = \(Int64.max) WHERE id = \(id)", logger: Contract.quiet)
            return try await withThrowingTaskGroup(of: T.self) { group in
                group.addTask { try await body() }
                try await Self.waitForALockWait(database)
                try await intruder.query("COMMIT", logger: Contract.quiet)
                return try #require(try await group.next())
            }
        }
    }

    /// Waits until a session of the database waits for a lock another session holds.
    static func waitForALockWait(_ database: PostgresTestDatabase) async throws {
        for _ in 0..<1000 {
            let waiting = try await database.client.query("""
                SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'
                """).collect().first.map { try $0.decode(Int.self) } ?? 0
            if waiting > 0 { return }
            try await Task.sleep(for: .milliseconds(10))
        }
        Issue.record("no session waited for a lock")
    }
}

/// Who holds which call while two instances claim at once, and whether two ever held one call.
final class ClaimLedger: Sendable {
    let holders = Mutex<[String: String]>([:])
    let overlaps = Mutex<[String]>([])
    let released = Mutex<Set<Int64>>([])
    let intakeDone = Mutex(false)

    func hold(_ jobs: [Job], owner: String) {
        holders.withLock { holders in
            for job in jobs {
                if let holder = holders[job.callID] { overlaps.withLock { $0.append("\(job.callID): \(holder) and \(owner)") } }
                holders[job.callID] = owner
            }
        }
    }

    func drop(_ jobs: [Job]) {
        holders.withLock { holders in
            for job in jobs { holders[job.callID] = nil }
        }
    }
}
