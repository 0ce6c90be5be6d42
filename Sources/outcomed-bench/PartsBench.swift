import ArgumentParser
import Crypto
import Foundation
import Logging
import OutcomeDaemon
import OutcomeEngine

/// What each stage of intake costs per event, in-process: where the intake budget goes.
struct PartsBench: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "parts", abstract: "Microseconds per event for each intake stage.")

    @Option(help: "The rules.")
    var config = "config/outcomed.yaml"

    @Option(help: "An event body.")
    var event = "config/examples/events/commvoice-envelope-not-interested.json"

    @Option(help: "Events per group commit (under wrk's 64 connections, intake averages about 15).")
    var batch = 64

    func run() throws {
        let bytes = Array(try Data(contentsOf: URL(fileURLWithPath: event)))
        let rules = try Config.load(path: config, mode: .rules).rules
        var figures: [(String, Double)] = []
        func measure(_ name: String, rounds: Int = 20000, per: Int = 1, _ body: () throws -> Void) rethrows {
            let start = ContinuousClock.now
            for _ in 0..<rounds { try body() }
            let elapsed = ContinuousClock.now - start
            let micros = Double(elapsed.components.seconds) * 1e6 + Double(elapsed.components.attoseconds) / 1e12
            figures.append((name, micros / Double(rounds * per)))
        }
        try measure("parse_us") { _ = try JSONParser().parse(bytes) }
        let value = try JSONParser().parse(bytes)
        try measure("normalize_us") { _ = try CallEvent.normalize(value) }
        guard case .event(let call) = try CallEvent.normalize(value) else { return }
        measure("decide_us") { _ = rules.decide(call) }
        measure("sha256_us") { _ = Array(SHA256.hash(data: bytes)) }

        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("outcomed-parts-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let store = try SQLiteQueueStore(path: directory + "/queue.sqlite")
        let decision = rules.decide(call)
        // Records are made up front, so the figure is the commit alone; keys are random
        // SHA-256 digests, as intake makes them.
        let rounds = 96000 / batch
        let batches = (0..<rounds).map { round in
            (0..<batch).map { index -> IntakeRecord in
                let counter = round * batch + index
                return IntakeRecord(idempotencyKey: IntakeRecord.contentKey(of: Array("\(counter)".utf8)), callID: "c\(counter)", body: bytes, decision: decision)
            }
        }
        var next = batches.makeIterator()
        let cpuBefore = clock()
        try measure("commit_us", rounds: rounds, per: batch) {
            guard let records = next.next() else { return }
            _ = try store.record(records, now: WallClock.milliseconds())
        }
        figures.append(("commit_cpu_us", Double(clock() - cpuBefore) / Double(CLOCKS_PER_SEC) * 1e6 / Double(rounds * batch)))
        let logger = Logger(label: "parts") { _ in LineLogHandler(format: .logfmt, level: .info, journal: false) }
        measure("log_line_us") {
            logger.info("decided", metadata: ["event": "decided", "call_id": "\(call.callID)", "rule": "lead", "outcome": "interested", "job_id": "1"])
        }
        print("{" + figures.map { "\"\($0.0)\": \((($0.1) * 100).rounded() / 100)" }.joined(separator: ", ") + "}")
    }
}
