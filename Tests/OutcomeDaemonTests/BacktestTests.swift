import Foundation
import Logging
import Testing
import TestSupport
@testable import OutcomeDaemon
@testable import OutcomeEngine

struct BacktestTests {
    @Test(arguments: [7, 16, 1 << 20])
    func jsonLinesAreReadWholeAcrossChunksWithTheirNumbers(chunkSize: Int) async throws {
        let directory = try TemporaryDirectory()
        let path = directory.path + "/events.jsonl"
        let long = String(repeating: "x", count: 100)
        try "{\"a\":1}\r\n\n   \n{\"b\":\"\(long)\"}\n{\"c\":3}".write(toFile: path, atomically: true, encoding: .utf8)
        var lines: [(String, Int)] = []
        try JSONLinesReader(path: path, chunkSize: chunkSize).forEachLine { line, number in
            lines.append((String(decoding: line, as: UTF8.self), number))
        }
        #expect(lines.map(\.0) == ["{\"a\":1}\r", "{\"b\":\"\(long)\"}", "{\"c\":3}"])
        #expect(lines.map(\.1) == [1, 4, 5])
    }

    static let rules = """
        outcomes: [interested, callback, not_interested]
        rules:
          - {name: lead, outcome: interested, when: {is_lead: true}}
          - {name: callback, outcome: callback, when: {transcript: {speaker: customer, any: [call me back]}}}
        """

    static func ruleSet(_ yaml: String) throws -> RuleSet {
        let directory = try TemporaryDirectory()
        try yaml.write(toFile: directory.path + "/rules.yaml", atomically: true, encoding: .utf8)
        return try Config.load(path: directory.path + "/rules.yaml", mode: .rules).rules
    }

    static func record(_ rules: RuleSet, _ body: String) throws -> IntakeRecord {
        let bytes = Array(body.utf8)
        guard case .event(let event) = try CallEvent.normalize(bytes: bytes) else { throw EventFileError.invalid(source: body, reason: "ignored") }
        return IntakeRecord(idempotencyKey: IntakeRecord.contentKey(of: bytes), callID: event.callID, body: bytes, decision: rules.decide(event))
    }

    @Test func theStoreGivesEachCallsLatestEventInTheWindowAndApplyCoalescesWithPendingJobs() async throws {
        let directory = try TemporaryDirectory()
        let store = try SQLiteQueueStore(path: directory.path + "/queue.sqlite")
        let before = try Self.ruleSet(Self.rules)
        _ = try store.record([try Self.record(before, #"{"id":"old","is_lead":true}"#)], now: 1_000)
        _ = try store.record([
            try Self.record(before, #"{"id":"a","is_lead":true}"#),
            try Self.record(before, #"{"id":"b","chat":"User: call me back"}"#),
            try Self.record(before, #"{"id":"c","is_lead":true,"call_outcome":"interested"}"#),
        ], now: 10_000)
        _ = try store.record([
            try Self.record(before, #"{"id":"a","chat":"User: call me back"}"#),
            try Self.record(before, #"{"id":"d"}"#),
        ], now: 20_000)
        var seen: [String] = []
        try store.forEachLatestEvent(receivedSince: 5_000) { seen.append("\($0.callID)@\($0.receivedAt)") }
        #expect(seen == ["b@10000", "c@10000", "a@20000", "d@20000"])

        let after = try Self.ruleSet(Self.rules.replacingOccurrences(of: "outcome: callback, when", with: "outcome: not_interested, when"))
        let run = try Backtest.replay(.store(store, since: 5_000), rules: after, collectChanges: true) { Issue.record("warned: \($0)") }
        #expect(run.tally.calls == 4)
        #expect(run.tally.changed == 2)
        #expect(run.changes.map(\.callID) == ["b", "a"])
        #expect(run.changes.allSatisfy { $0.outcome == "not_interested" && $0.from == "callback" })
        #expect(run.tally.rules == [.init(name: "lead", before: 1, after: 1), .init(name: "callback", before: 2, after: 2)])

        let pendingA = try #require(try await store.list(state: .pending, callID: "a", limit: 5).first)
        // A newer event for b arrives after the replay read the store: its pending job stays.
        _ = try store.record([try Self.record(before, #"{"id":"b","is_lead":true}"#)], now: 30_000)
        let pendingB = try #require(try await store.list(state: .pending, callID: "b", limit: 5).first)
        let logged = CapturedLog()
        let applied = try await Backtest.apply(run, to: store, logger: logged.logger(), now: 40_000)
        #expect(applied == Backtest.Applied(queued: 1, keptNewer: 1))
        let jobsA = try await store.list(state: nil, callID: "a", limit: 5)
        #expect(jobsA.count == 1)
        #expect(jobsA.first?.id == pendingA.id && jobsA.first?.outcome == "not_interested")
        #expect(try await store.list(state: nil, callID: "b", limit: 5).map(\.outcome) == [pendingB.outcome])
        #expect(logged.all.count == 2)
        #expect(logged.all.allSatisfy { $0.contains("event=decided") && $0.contains("source=replay") })
        let queuedA = try #require(logged.all.first { $0.contains("call_id=a") })
        #expect(queuedA.contains("action=queued") && queuedA.contains("job_id=\(pendingA.id)") && queuedA.contains("outcome=not_interested"))
        #expect(logged.all.first { $0.contains("call_id=b") }?.contains("action=skipped") == true)
    }

    @Test func exportedEventsComeFromAFolderOrLinesAndBadOnesAreSkippedWithTheirPlace() async throws {
        let directory = try TemporaryDirectory()
        try FileManager.default.createDirectory(atPath: directory.path + "/events", withIntermediateDirectories: true)
        try #"{"id":"x","is_lead":true}"#.write(toFile: directory.path + "/events/2.json", atomically: true, encoding: .utf8)
        try #"{"id":"y","call_outcome":"callback","chat":"User: call me back"}"#.write(toFile: directory.path + "/events/1.json", atomically: true, encoding: .utf8)
        try "not an event".write(toFile: directory.path + "/events/notes.txt", atomically: true, encoding: .utf8)
        try """
            {"id":"x","is_lead":true}
            {"message":{"type":"status-update","call":{"id":"v"}}}
            {"id":
            {"id":"y","call_outcome":"callback","chat":"User: call me back"}
            """.write(toFile: directory.path + "/events.jsonl", atomically: true, encoding: .utf8)
        let rules = try Self.ruleSet(Self.rules)
        var warnings: [String] = []
        let folder = try Backtest.replay(.exported(path: directory.path + "/events"), rules: rules) { warnings.append($0) }
        let lines = try Backtest.replay(.exported(path: directory.path + "/events.jsonl"), rules: rules) { warnings.append($0) }
        #expect(folder.tally.json == lines.tally.json)
        #expect(lines.tally.transitions.map(\.examples) == [["x"], ["y"]])
        #expect(lines.skipped == BacktestSource.Skipped(ignored: 1, invalid: 1))
        #expect(warnings == ["\(directory.path)/events.jsonl:3: skipped: invalid JSON at byte 6: unexpected end of input"])
        #expect(lines.tally.changed == 1)
        #expect(lines.tally.rules.map(\.before) == [nil, nil])
    }
}
