import Foundation
import Testing
import TestSupport

/// The `queue` commands against a running `serve` on PostgreSQL, named by `--config` alone.
@Suite(.serialized, .timeLimit(.minutes(3)))
struct PostgresQueueCommandTests {
    @Test func statsListRetryCancelAndPurgeWorkOnTheSharedStore() async throws {
        try await PostgresTestDatabase.withDatabase { database in
            let daemon = try await Daemon(retry: "initial_delay: 30s\n    max_delay: 60s", postgresURL: database.location)
            try await daemon.start()
            func queue(_ arguments: [String]) async throws -> Command.Result {
                try await Command.run("outcomed", ["queue"] + arguments + ["--config", daemon.configPath], environment: daemon.environment)
            }
            try await daemon.scriptMock("c-dead", [["status": 404]])
            try await daemon.scriptMock("c-waits", [["status": 503]])
            for call in ["c-dead", "c-waits", "c-done"] { #expect(try await daemon.post(Daemon.event(call)).status == 202) }
            try await waitUntil(.seconds(15)) {
                let stats = try await daemon.queueStats()
                return stats["dead"] as? Int == 1 && stats["done"] as? Int == 1 && stats["pending"] as? Int == 1
            }

            let stats = try await queue(["stats"])
            #expect(stats.status == 0 && stats.stdout.hasPrefix("pending 1, in_flight 0, done 1, dead 1"), "\(stats.stdout)\(stats.stderr)")
            let dead = try await daemon.queueJobs(state: "dead")
            #expect(dead.map { $0["call_id"] as? String } == ["c-dead"] && dead.first?["last_status"] as? Int == 404)
            let listed = try await queue(["list", "--call", "c-waits"])
            #expect(listed.status == 0 && listed.stdout.contains("c-waits") && listed.stdout.contains("pending"), "\(listed.stdout)")

            let retried = try await queue(["retry", "--dead"])
            #expect(retried.status == 0 && retried.stdout.hasPrefix("retried 1 jobs"), "\(retried.stdout)\(retried.stderr)")
            try await waitUntil(.seconds(15)) { try await daemon.deliveredCalls().contains("c-dead") }

            let waiting = try #require(try await daemon.queueJobs(state: "pending").first?["id"] as? Int)
            let cancelled = try await queue(["cancel", String(waiting)])
            #expect(cancelled.status == 0, "\(cancelled.stdout)\(cancelled.stderr)")
            let again = try await queue(["cancel", String(waiting), "999999"])
            #expect(again.status == 1 && again.stderr.contains("only pending jobs are cancelled") && again.stderr.contains("job 999999: no such job"), "\(again.stderr)")
            #expect(try await daemon.queueJobs(state: "dead").first?["last_error"] as? String == "cancelled by operator")

            try await Task.sleep(for: .milliseconds(20))
            let purged = try await queue(["purge", "--state", "done", "--older-than", "10ms"])
            #expect(purged.stdout == "purged 2 done jobs\n", "\(purged.stdout)\(purged.stderr)")
            #expect(try await daemon.queueStats()["done"] as? Int == 0)
        }
    }

    @Test func replayApplyAndReportReadTheSharedStore() async throws {
        try await PostgresTestDatabase.withDatabase { database in
            let daemon = try await Daemon(postgresURL: database.location)
            try await daemon.start()
            let events = [
                Daemon.event("c-lead"), Daemon.event("c-cb", lead: false, chat: "AI: hi\nUser: call me back later"),
                Daemon.event("c-none", lead: false), Daemon.event("c-cb-2", lead: false, chat: "AI: hi\nUser: I am busy right now"),
            ]
            for event in events { #expect(try await daemon.post(event).status == 202) }
            try await waitUntil(.seconds(15)) { try await daemon.deliveredCalls().count == 3 }
            // The same store, with the callback rule now setting not_interested.
            let changed = daemon.directory + "/changed.yaml"
            try String(contentsOfFile: daemon.configPath, encoding: .utf8)
                .replacingOccurrences(of: "outcome: callback\n", with: "outcome: not_interested\n")
                .write(toFile: changed, atomically: true, encoding: .utf8)
            func run(_ arguments: [String]) async throws -> Command.Result {
                try await Command.run("outcomed", arguments + ["--config", changed], environment: daemon.environment)
            }

            let replayed = try await run(["replay", "--json"])
            #expect(replayed.status == 0, "\(replayed.stderr)")
            let report = try #require(try JSONSerialization.jsonObject(with: Data(replayed.stdout.utf8)) as? [String: Any])
            #expect(report["calls"] as? Int == 4 && report["changed"] as? Int == 2, "\(replayed.stdout)")
            let transitions = report["transitions"] as? [[String: Any]] ?? []
            #expect(transitions.contains { $0["from"] as? String == "callback" && $0["to"] as? String == "not_interested" && $0["count"] as? Int == 2 })

            let applied = try await run(["replay", "--apply", "--yes"])
            #expect(applied.status == 0 && applied.stdout.contains("queued 2 calls"), "\(applied.stdout)\(applied.stderr)")
            try await waitUntil(.seconds(15)) {
                try await daemon.mockRequests(callID: "c-cb").map(\.outcome) == ["callback", "not_interested"]
            }
            #expect(try await daemon.mockRequests(callID: "c-lead").map(\.outcome) == ["interested"])

            let agreement = try await run(["report", "--json"])
            #expect(agreement.status == 0, "\(agreement.stderr)")
            let tally = try #require(try JSONSerialization.jsonObject(with: Data(agreement.stdout.utf8)) as? [String: Any])
            #expect(tally["calls"] as? Int == 4, "\(agreement.stdout)")
        }
    }

    @Test func anUnreachableDatabaseIsARuntimeErrorThatKeepsThePasswordToItself() async throws {
        let daemon = try await Daemon(postgresURL: "postgres://outcomed:hunter2secret@127.0.0.1:\(try TestPorts.reserve())/outcomed?sslmode=disable")
        let result = try await Command.run("outcomed", ["queue", "stats", "--config", daemon.configPath], environment: daemon.environment)
        #expect(result.status == 3, "\(result.stderr)")
        #expect(result.stderr.contains("postgres://outcomed:***@127.0.0.1"), "\(result.stderr)")
        #expect(!result.stderr.contains("hunter2secret") && !result.stdout.contains("hunter2secret"))
        let serve = try await Command.run("outcomed", ["serve", "--config", daemon.configPath], environment: daemon.environment, timeout: .seconds(30))
        #expect(serve.status == 3, "\(serve.stderr)")
        #expect(!serve.stderr.contains("hunter2secret"))
    }
}

/// `queue copy`: moving a deployment from the embedded store to PostgreSQL.
@Suite(.serialized, .timeLimit(.minutes(3)))
struct QueueCopyTests {
    @Test func theEmbeddedStoresEventsAndUnfinishedJobsMoveOnceAndAreDeliveredThere() async throws {
        try await PostgresTestDatabase.withDatabase { database in
            let embedded = try await Daemon(retry: "initial_delay: 1h\n    max_delay: 2h")
            try await embedded.start()
            try await embedded.scriptMock("c-dead", [["status": 404]])
            try await embedded.scriptMock("c-later", [["status": 503]])
            for call in ["c-done", "c-dead", "c-later"] { #expect(try await embedded.post(Daemon.event(call)).status == 202) }
            try await waitUntil(.seconds(15)) {
                let stats = try await embedded.queueStats()
                return stats["done"] as? Int == 1 && stats["dead"] as? Int == 1 && stats["pending"] as? Int == 1
            }
            let shared = try await Daemon(postgresURL: database.location, sharing: embedded)
            let environment = shared.environment
            func copy() async throws -> Command.Result {
                try await Command.run("outcomed", ["queue", "copy", "--db", embedded.storePath, "--to", shared.configPath], environment: environment)
            }
            let refused = try await copy()
            #expect(refused.status == 3 && refused.stderr.contains("another outcomed serve"), "a running serve could still take events: \(refused.stderr)")

            embedded.signal(SIGTERM)
            #expect(try await embedded.waitForExit(timeout: .seconds(15)) == 0)
            let first = try await copy()
            #expect(first.status == 0 && first.stdout.hasPrefix("copied 3 events and 2 jobs to postgres://"), "\(first.stdout)\(first.stderr)")
            let again = try await copy()
            #expect(again.stdout.hasPrefix("copied 0 events and 0 jobs"), "\(again.stdout)\(again.stderr)")

            // The copied event is the same event there: a sender's retry of it is a duplicate.
            try await shared.start()
            let retried = try await shared.post(Daemon.event("c-later"))
            #expect(retried.status == 200 && jsonObject(retried)["duplicate"] as? Bool == true)
            #expect(try await shared.queueJobs(state: "dead").map { $0["last_status"] as? Int } == [404])
            let pending = try await shared.queueJobs(state: "pending")
            #expect(pending.map { $0["call_id"] as? String } == ["c-later"] && pending.first?["attempts"] as? Int == 1)
            let stats = try await shared.queueStats()
            #expect(stats["done"] as? Int == 0, "done jobs stay behind: \(stats)")
        }
    }
}
