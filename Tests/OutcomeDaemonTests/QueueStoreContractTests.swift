import Foundation
import Logging
import OutcomeEngine
import PostgresNIO
import Testing
import TestSupport
@testable import OutcomeDaemon

/// The queue contract (SPEC §4, §10): one table of cases, each run against both stores.
///
/// Times come from the wall clock, because the PostgreSQL store reads its own: a job is made
/// not yet due by a retry a minute ahead, and a lease expires by being short and waited out.
@Suite(.timeLimit(.minutes(1)))
struct QueueStoreContractTests {
    @Test(arguments: StoreKind.allCases, QueueStoreContractCase.all)
    func contract(_ kind: StoreKind, _ contractCase: QueueStoreContractCase) async throws {
        try await kind.withStore { store in try await contractCase.body(store) }
    }

    @Test func everyCaseHasItsOwnName() {
        let names = QueueStoreContractCase.all.map(\.name)
        #expect(Set(names).count == names.count)
    }
}

/// A store the contract runs against.
enum StoreKind: String, CaseIterable, Sendable, CustomTestStringConvertible {
    case sqlite
    case postgres

    var testDescription: String { rawValue }

    /// Runs `body` with a new, empty store of this kind.
    func withStore(_ body: (any QueueStore) async throws -> Void) async throws {
        switch self {
        case .sqlite:
            let directory = try TemporaryDirectory()
            try await body(SQLiteQueueStore(path: directory.path + "/queue.sqlite"))
            withExtendedLifetime(directory) {}
        case .postgres:
            try await PostgresTestDatabase.withDatabase { database in
                let store = Contract.postgresStore(database.client, database)
                try await store.migrate()
                try await body(store)
            }
        }
    }
}

/// One case of the contract: what a store must do, told through the protocol alone.
struct QueueStoreContractCase: Sendable, CustomTestStringConvertible {
    var name: String
    var body: @Sendable (any QueueStore) async throws -> Void

    init(_ name: String, _ body: @escaping @Sendable (any QueueStore) async throws -> Void) {
        self.name = name
        self.body = body
    }

    var testDescription: String { name }

    static let all = intake + handoff + delivery + results + operatorCommands
}

/// What the cases share.
enum Contract {
    static let quiet = Logger(label: "outcomed.test") { _ in SwiftLogNoOpLogHandler() }

    static func postgresStore(_ client: PostgresClient, _ database: PostgresTestDatabase) -> PostgresQueueStore {
        PostgresQueueStore(client: client, location: database.location, logger: quiet)
    }

    static func record(_ key: String, call: String, outcome: String? = "interested", rule: String? = "lead") -> IntakeRecord {
        IntakeRecord(
            idempotencyKey: key, callID: call, body: Array(#"{"id":"\#(call)","key":"\#(key)"}"#.utf8),
            decision: Decision(action: outcome == nil ? .noMatch : .queued, outcome: outcome, rule: rule)
        )
    }

    /// Commits one event for `call` and returns its receipt.
    static func commit(_ store: any QueueStore, _ key: String, call: String, outcome: String? = "interested", rule: String? = "lead") async throws -> IntakeReceipt {
        let receipts = try await store.commit([record(key, call: call, outcome: outcome, rule: rule)], now: WallClock.milliseconds(), deadline: nil)
        return try #require(receipts.first)
    }

    /// Queues a decision for `call` and returns its job's id.
    static func queue(_ store: any QueueStore, _ key: String, call: String, outcome: String = "interested") async throws -> Int64 {
        try #require(try await commit(store, key, call: call, outcome: outcome).jobID)
    }

    static func job(_ store: any QueueStore, _ id: Int64) async throws -> Job {
        try #require(try await store.job(id))
    }

    /// Claims with a lease of a minute.
    static func claim(_ store: any QueueStore, _ owner: String, limit: Int = 10) async throws -> [Job] {
        let now = WallClock.milliseconds()
        return try await store.claimDue(limit: limit, now: now, owner: owner, leaseUntil: now + 60_000)
    }

    /// Claims with a lease of 200 ms, then waits until it has expired.
    static func claimAndLetExpire(_ store: any QueueStore, _ owner: String, limit: Int = 10) async throws -> [Job] {
        let now = WallClock.milliseconds()
        let jobs = try await store.claimDue(limit: limit, now: now, owner: owner, leaseUntil: now + 200)
        try await Task.sleep(for: .milliseconds(300))
        return jobs
    }

    static func complete(_ store: any QueueStore, _ results: [JobResult], owner: String) async throws {
        try await store.complete(results, now: WallClock.milliseconds(), owner: owner)
    }

    static func stats(_ store: any QueueStore) async throws -> QueueStats {
        try await store.stats(now: WallClock.milliseconds())
    }
}
