import ArgumentParser
import Foundation
import OutcomeDaemon
import OutcomeEngine

/// Fills a store with pending jobs, as a backlog for the delivery and memory figures.
struct SeedBench: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "seed", abstract: "Adds pending jobs to a store.")

    @Option(help: "The SQLite file.")
    var db: String

    @Option(help: "How many jobs.")
    var jobs: Int

    @Option(help: "Prefix of the call ids.")
    var prefix = "seed"

    func run() throws {
        let store = try SQLiteQueueStore(path: db)
        let body = Array(#"{"data":{"id":"seed"}}"#.utf8)
        var written = 0
        while written < jobs {
            let batch = (written..<min(jobs, written + 5000)).map { index in
                IntakeRecord(
                    idempotencyKey: "\(prefix)-\(index)", callID: "\(prefix)-\(index)", body: body,
                    decision: Decision(action: .queued, outcome: "interested", rule: "seed")
                )
            }
            _ = try store.record(batch, now: WallClock.milliseconds())
            written += batch.count
        }
        print(#"{"seeded": \#(written)}"#)
    }
}
