import Foundation
import GRDB
import OutcomeEngine
import Testing
import TestSupport
@testable import OutcomeDaemon

/// What intake commits: ids, the stored 202 body, duplicates and coalescing.
struct IntakeStoreTests {
    static func record(_ key: String, call: String, outcome: String? = "interested", rule: String? = "lead \"hot\"", padding: String = "") -> IntakeRecord {
        IntakeRecord(
            idempotencyKey: key, callID: call, body: Array(#"{"id":"\#(call)","pad":"\#(padding)"}"#.utf8),
            decision: Decision(action: outcome == nil ? .noMatch : .queued, outcome: outcome, rule: rule)
        )
    }

    @Test func theStoredResponseIsTheSortedJSONOfTheDecisionAndItsIDs() async throws {
        let directory = try TemporaryDirectory()
        let store = try SQLiteQueueStore(path: directory.path + "/queue.sqlite")
        let receipts = try store.record([Self.record("a", call: "c-\u{e9}\n"), Self.record("b", call: "c-2", outcome: nil, rule: nil)], now: 1)
        let expected = [
            JSONValue.object([
                "event_id": .number(1), "call_id": .string("c-\u{e9}\n"), "action": .string("queued"),
                "outcome": .string("interested"), "rule": .string("lead \"hot\""), "job_id": .number(1),
            ]).serialized(),
            JSONValue.object([
                "event_id": .number(2), "call_id": .string("c-2"), "action": .string("no_match"),
                "outcome": .null, "rule": .null, "job_id": .null,
            ]).serialized(),
        ]
        #expect(receipts.map(\.response) == expected)
        let stored = try await store.database.read { db in try String.fetchAll(db, sql: "SELECT response FROM events ORDER BY id") }
        #expect(stored == expected)
    }

    @Test func deliveryCommitsWithoutItsOwnFsyncAndIntakeStaysFull() async throws {
        let directory = try TemporaryDirectory()
        let store = try SQLiteQueueStore(path: directory.path + "/queue.sqlite")
        _ = try store.record([Self.record("a", call: "c1"), Self.record("b", call: "c2")], now: 1)
        let synchronous = { try await store.database.write { db in try Int.fetchOne(db, sql: "PRAGMA synchronous") } }
        #expect(try await synchronous() == 2, "intake commits at FULL")
        let now = WallClock.milliseconds()
        let claimed = try await store.settle([], claimLimit: 1, now: now, owner: "w", leaseUntil: now + 60_000).jobs
        _ = try await store.settle([.done(jobID: claimed[0].id, status: 200)], claimLimit: 1, now: now, owner: "w", leaseUntil: now + 60_000)
        #expect(try await synchronous() == 2, "a delivery write leaves the writer at FULL for the next intake commit")
        #expect(try await store.stats(now: now).inFlight == 1)
    }

    @Test func aHandoffLooksUpTheCallsJobsThroughTheirPartialIndexesNotABacklogWalk() async throws {
        let directory = try TemporaryDirectory()
        let store = try SQLiteQueueStore(path: directory.path + "/queue.sqlite")
        let plan = try await store.database.read { db in
            try Row.fetchAll(db, sql: "EXPLAIN QUERY PLAN " + SQLiteQueueStore.hasJobQuery, arguments: ["c1"]).map { $0["detail"] as String }
        }
        #expect(plan.contains { $0.contains("jobs_one_pending_per_call (call_id=?)") }, "\(plan)")
        #expect(plan.contains { $0.contains("jobs_one_in_flight_per_call (call_id=?)") }, "\(plan)")
        #expect(!plan.contains { $0.contains("SCAN jobs") || $0.contains("(state=?)") }, "\(plan)")
    }

    @Test func idsAreNeverReusedAfterRowsAreDeleted() async throws {
        let directory = try TemporaryDirectory()
        let store = try SQLiteQueueStore(path: directory.path + "/queue.sqlite")
        let first = try store.record([Self.record("a", call: "c-1"), Self.record("b", call: "c-2")], now: 1)
        #expect(first.map(\.eventID) == [1, 2] && first.map(\.jobID) == [1, 2])
        try await store.database.write { db in
            try db.execute(sql: "DELETE FROM jobs")
            try db.execute(sql: "DELETE FROM events")
        }
        let next = try store.record([Self.record("c", call: "c-3")], now: 2)
        #expect(next[0].eventID == 3 && next[0].jobID == 3)
    }

    @Test func aDuplicateInTheSameBatchGetsTheFirstAnswerAndAPendingJobTakesTheNewerDecision() async throws {
        let directory = try TemporaryDirectory()
        let store = try SQLiteQueueStore(path: directory.path + "/queue.sqlite")
        let receipts = try store.record([
            Self.record("a", call: "c-1"), Self.record("a", call: "c-1"), Self.record("b", call: "c-1", outcome: "callback", rule: nil),
        ], now: 1)
        #expect(receipts.map(\.duplicate) == [false, true, false])
        #expect(receipts[1].response == receipts[0].response && receipts[1].eventID == 1)
        #expect(receipts[2].eventID == 2 && receipts[2].jobID == receipts[0].jobID)
        let jobID = try #require(receipts[0].jobID)
        let job = try #require(try await store.job(jobID))
        #expect(job.outcome == "callback" && job.eventID == 2 && job.state == .pending)
        let counts = try await store.database.read { db in
            (try Int.fetchOne(db, sql: "SELECT count(*) FROM events"), try Int.fetchOne(db, sql: "SELECT count(*) FROM jobs"))
        }
        #expect(counts.0 == 2 && counts.1 == 1)
    }

    @Test func theWALIsCheckpointedEveryFewHundredPagesUnderSustainedIntake() async throws {
        let directory = try TemporaryDirectory()
        let store = try SQLiteQueueStore(path: directory.path + "/queue.sqlite")
        let padding = String(repeating: "x", count: 860)
        for batch in 0..<60 {
            let records = (0..<64).map { index in
                let call = "c-\(batch)-\(index)"
                return Self.record(IntakeRecord.contentKey(of: Array(call.utf8)), call: call, padding: padding)
            }
            _ = try store.record(records, now: Int64(batch))
        }
        // A WAL is reused, not truncated, so its size is the most it held between two checkpoints.
        let bytes = try FileManager.default.attributesOfItem(atPath: directory.path + "/queue.sqlite-wal")[.size] as? Int ?? 0
        let frames = bytes / (4096 + 24)  // a WAL frame is one 4 KB page and a 24-byte header
        #expect(frames > SQLiteQueueStore.checkpointPages && frames < SQLiteQueueStore.checkpointPages + 200)
    }

    @Test func retryingADeadJobSkipsItWhileItsCallHasAPendingJob() async throws {
        let directory = try TemporaryDirectory()
        let store = try SQLiteQueueStore(path: directory.path + "/queue.sqlite")
        let first = try #require(try store.record([Self.record("a", call: "c-1")], now: 1)[0].jobID)
        try await store.database.write { db in try db.execute(sql: "UPDATE jobs SET state = 'dead' WHERE id = ?", arguments: [first]) }
        let second = try #require(try store.record([Self.record("b", call: "c-1", outcome: "callback")], now: 2)[0].jobID)
        let change = try await store.retry(ids: [first], now: 3)
        #expect(change.changed.isEmpty)
        #expect(change.skipped == ["job \(first): call c-1 already has pending job \(second)"])
        #expect(try await store.job(first)?.state == .dead)
    }
}
