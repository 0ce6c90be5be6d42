import Foundation
import OutcomeDaemon
import OutcomeEngine
import Synchronization
import Testing
import TestSupport

/// `outcomed replay` over the store of a running `serve`, while it takes traffic.
@Suite(.serialized, .timeLimit(.minutes(3)))
struct ReplayEndToEndTests {
    /// The serve rules with `callback` now setting `not_interested`: only callback calls change.
    static let changedRules = Daemon.rules.replacingOccurrences(of: "outcome: callback\n", with: "outcome: not_interested\n")

    func replay(_ daemon: Daemon, config: String, _ arguments: [String]) async throws -> Command.Result {
        try await Command.run("outcomed", ["replay", "--config", config] + arguments)
    }


    /// Stores `count` lead calls before serve starts, so that the replay has enough to read to
    /// be still reading while events come in.
    static func prefill(_ daemon: Daemon, count: Int) throws {
        let store = try SQLiteQueueStore(path: daemon.storePath)
        let records = (0..<count).map { index in
            let body = Array(Daemon.event("stored-\(index)", lead: true).utf8)
            return IntakeRecord(
                idempotencyKey: IntakeRecord.contentKey(of: body), callID: "stored-\(index)", body: body,
                // Recorded as unchanged, so that no job (and no PATCH) comes of them.
                decision: Decision(action: .unchanged, outcome: "interested", rule: "lead")
            )
        }
        _ = try store.record(records, now: WallClock.milliseconds())
    }

    @Test func replayReadsTheStoreOfARunningServeAndApplyQueuesExactlyTheChangedCalls() async throws {
        let daemon = try await Daemon()
        try Self.prefill(daemon, count: 5000)
        try await daemon.start()
        for index in 0..<10 {
            #expect(try await daemon.post(Daemon.event("early-\(index)", lead: true)).status == 202)
        }
        // The first five calls come again: their latest event asks for a callback.
        for index in 0..<10 {
            let call = index < 5 ? "early-\(index)" : "cb-\(index)"
            #expect(try await daemon.post(Daemon.event(call, lead: false, chat: "AI: hello\nUser: call me back")).status == 202)
        }
        let changedConfig = daemon.directory + "/changed.yaml"
        try String(contentsOfFile: daemon.configPath, encoding: .utf8)
            .replacingOccurrences(of: Daemon.rules, with: Self.changedRules)
            .write(toFile: changedConfig, atomically: true, encoding: .utf8)
        #expect(Self.changedRules != Daemon.rules)

        let posted = Atomic(0)
        let stop = Atomic(false)
        let traffic = Task {
            var statuses: [Int] = []
            for index in 0..<5000 where !stop.load(ordering: .relaxed) {
                statuses.append(try await daemon.post(Daemon.event("live-\(index)", lead: true)).status)
                posted.add(1, ordering: .relaxed)
            }
            return statuses
        }
        while posted.load(ordering: .relaxed) < 20 { try await Task.sleep(for: .milliseconds(5)) }
        let atStart = posted.load(ordering: .relaxed)
        let during = try await replay(daemon, config: changedConfig, ["--json"])
        let atEnd = posted.load(ordering: .relaxed)
        stop.store(true, ordering: .relaxed)
        let statuses = try await traffic.value
        #expect(statuses.allSatisfy { $0 == 202 })
        #expect(atEnd > atStart, "no event was taken while the replay ran")
        #expect(statuses.count < 5000, "the traffic stopped before the replay ended")

        #expect(during.status == 0, "\(during.stderr)")
        let report = try #require(try JSONSerialization.jsonObject(with: Data(during.stdout.utf8)) as? [String: Any])
        let calls = try #require(report["calls"] as? Int)
        #expect(calls >= 5000 + 15 + 20)
        #expect(report["changed"] as? Int == 10)
        let transitions = try #require(report["transitions"] as? [[String: Any]])
        #expect(transitions.map { $0["count"] as? Int ?? 0 }.reduce(0, +) == calls)
        let change = try #require(transitions.first { $0["from"] as? String == "callback" })
        #expect(change["to"] as? String == "not_interested")
        #expect(change["count"] as? Int == 10)
        let rules = try #require(report["rules"] as? [[String: Any]])
        let callback = try #require(rules.first { $0["name"] as? String == "callback" })
        #expect(callback["before"] as? Int == 10)
        #expect(callback["after"] as? Int == 10)

        let dry = try await replay(daemon, config: changedConfig, ["--apply"])
        #expect(dry.status == 0, "\(dry.stderr)")
        #expect(dry.stdout.contains("would queue 10 calls (run with --apply --yes to queue them)"))
        #expect(!dry.stderr.contains("event=decided"))

        let applied = try await replay(daemon, config: changedConfig, ["--apply", "--yes"])
        #expect(applied.status == 0, "\(applied.stderr)")
        #expect(applied.stdout.contains("queued 10 calls"))
        let lines = applied.stderr.split(separator: "\n").filter { $0.contains("event=decided") }
        #expect(lines.count == 10)
        #expect(lines.allSatisfy { $0.contains("source=replay") && $0.contains("outcome=not_interested") && $0.contains("action=queued") })
        let changedCalls = (0..<5).map { "early-\($0)" } + (5..<10).map { "cb-\($0)" }
        for call in changedCalls {
            let job = try await daemon.waitForJob(call: call) { $0["outcome"] as? String == "not_interested" && $0["state"] as? String == "done" }
            #expect(job["rule"] as? String == "callback")
            let patches = try await daemon.mockRequests(call: call).compactMap { $0["outcome"] as? String }
            #expect(patches == ["interested", "callback", "not_interested"] || patches == ["callback", "not_interested"], "\(call): \(patches)")
        }
        #expect(try await daemon.mockRequests(call: "live-0").compactMap { $0["outcome"] as? String } == ["interested"])
    }

    @Test func replayWithoutAStoreOrWithBadArgumentsSaysSo() async throws {
        let directory = try TemporaryDirectory()
        let config = directory.path + "/rules.yaml"
        try "queue: {path: \(directory.path)/none.sqlite}\noutcomes: [interested]\nrules: []\n".write(toFile: config, atomically: true, encoding: .utf8)
        let missing = try await Command.run("outcomed", ["replay", "--config", config])
        #expect(missing.status == 3)
        #expect(missing.stderr.contains("none.sqlite: no store here"))
        #expect(!FileManager.default.fileExists(atPath: directory.path + "/none.sqlite"))
        #expect(try await Command.run("outcomed", ["replay", "--config", config, "--yes"]).status == 2)
        #expect(try await Command.run("outcomed", ["replay", "--config", config, "--since", "soon"]).status == 2)
        #expect(try await Command.run("outcomed", ["replay", "--config", config, "--events", "x.jsonl", "--apply"]).status == 2)
        #expect(try await Command.run("outcomed", ["replay", "--config", config, "--events", directory.path + "/x.jsonl"]).status == 3)
    }
}
