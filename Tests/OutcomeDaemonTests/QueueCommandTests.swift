import Foundation
import Testing
import TestSupport
@testable import OutcomeDaemon

/// `outcomed queue ...` run as a separate process against a store that a worker uses.
@Suite(.timeLimit(.minutes(2)))
struct QueueCommandTests {
    @Test func retryDeadPutsDeadJobsBackAndTheyAreDelivered() async throws {
        let mock = try await MockServer()
        let harness = try DeliveryHarness(mock: mock)
        try await mock.script("call-dead-1", [["status": 404]])
        try await mock.script("call-dead-2", [["status": 422]])
        let receipts = try ["call-dead-1", "call-dead-2"].map { try harness.enqueue($0, "interested") }
        try await harness.withWorker { _ in
            try await harness.waitUntil { try await harness.jobs(receipts.map(\.jobID)).allSatisfy { $0?.state == .dead } }
        }
        let db = harness.store.path
        let stats = try await Command.run("outcomed", ["queue", "stats", "--db", db, "--json"])
        #expect(stats.status == 0)
        let object = try JSONSerialization.jsonObject(with: Data(stats.stdout.utf8)) as? [String: Any]
        #expect(object?["dead"] as? Int == 2)
        #expect(object?["pending"] as? Int == 0)
        #expect(object?["oldest_pending_age_s"] as? Double == 0)

        let listed = try await Command.run("outcomed", ["queue", "list", "--db", db, "--state", "dead", "--json"])
        let jobs = try JSONSerialization.jsonObject(with: Data(listed.stdout.utf8)) as? [[String: Any]]
        #expect(jobs?.compactMap { $0["last_status"] as? Int }.sorted() == [404, 422])

        let retried = try await Command.run("outcomed", ["queue", "retry", "--dead", "--db", db])
        #expect(retried.status == 0)
        #expect(retried.stdout.hasPrefix("retried 2 jobs"))
        for receipt in receipts {
            let job = try #require(try await harness.job(receipt.jobID))
            #expect(job.state == .pending && job.attempts == 0)
        }
        try await harness.withWorker { _ in
            try await harness.waitUntil { try await harness.jobs(receipts.map(\.jobID)).allSatisfy { $0?.state == .done } }
        }
        #expect(try await mock.requests(callID: "call-dead-1").map(\.status) == [404, 200])
    }

    @Test func cancelListAndPurge() async throws {
        let mock = try await MockServer()
        let harness = try DeliveryHarness(mock: mock)
        let receipt = try harness.enqueue("call-cancel", "callback")
        let db = harness.store.path
        let id = String(try #require(receipt.jobID))

        let table = try await Command.run("outcomed", ["queue", "list", "--db", db])
        #expect(table.stdout.split(separator: "\n").count == 2)
        #expect(table.stdout.contains("call-cancel"))

        let cancelled = try await Command.run("outcomed", ["queue", "cancel", id, "--db", db])
        #expect(cancelled.status == 0)
        #expect(try await harness.job(receipt.jobID)?.state == .dead)
        #expect(try await harness.job(receipt.jobID)?.lastError == "cancelled by operator")

        let again = try await Command.run("outcomed", ["queue", "cancel", id, "999", "--db", db])
        #expect(again.status == 1)
        #expect(again.stderr.contains("job \(id): is dead, only pending jobs are cancelled"))
        #expect(again.stderr.contains("job 999: no such job"))

        let kept = try await Command.run("outcomed", ["queue", "purge", "--state", "dead", "--older-than", "1h", "--db", db])
        #expect(kept.stdout == "purged 0 dead jobs\n")
        try await Task.sleep(for: .milliseconds(50))
        let purged = try await Command.run("outcomed", ["queue", "purge", "--state", "dead", "--older-than", "10ms", "--db", db])
        #expect(purged.stdout == "purged 1 dead jobs\n")
        #expect(try await harness.job(receipt.jobID) == nil)
    }

    @Test(arguments: [["stats"], ["list"], ["retry", "--dead"], ["purge", "--state", "done", "--older-than", "1h"]])
    func aQueueCommandOnAMissingStoreExits3AndCreatesNothing(command: [String]) async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("outcomed-missing-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let db = directory.path + "/queue.sqlite"
        let result = try await Command.run("outcomed", ["queue"] + command + ["--db", db])
        #expect(result.status == 3)
        #expect(result.stderr.contains("\(db): no store here"))
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory.path).isEmpty)
    }

    @Test(arguments: [
        (["queue", "retry"], Int32(2)),
        (["queue", "retry", "1", "--dead", "--db", "/tmp/x.sqlite"], 2),
        (["queue", "purge", "--state", "pending", "--older-than", "1h", "--db", "/tmp/x.sqlite"], 2),
        (["queue", "purge", "--state", "done", "--older-than", "soon", "--db", "/tmp/x.sqlite"], 2),
        (["queue", "list", "--state", "lost", "--db", "/tmp/x.sqlite"], 2),
        (["queue", "stats", "--db", "/proc/nope/x.sqlite"], 3),
    ] as [([String], Int32)])
    func usageAndRuntimeErrors(arguments: [String], status: Int32) async throws {
        #expect(try await Command.run("outcomed", arguments).status == status)
    }
}
