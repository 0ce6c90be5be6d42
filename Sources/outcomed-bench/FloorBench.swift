import ArgumentParser
import Foundation
import Hummingbird
import Logging
import OutcomeDaemon
import Yams

/// The SPEC's stack with none of outcomed's work: the same Hummingbird server on the same event
/// loops, a store open and a YAML file read, answering every request with a fixed 202. Its idle
/// RSS and its `wrk` rate are the floor and the ceiling that outcomed's own figures sit on.
struct FloorBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "floor", abstract: "Serve a fixed 202 on the SPEC's stack, doing nothing else.")

    @Option(help: "The port on 127.0.0.1.")
    var port: Int

    @Option(help: "The SQLite file to open, as serve opens its queue.")
    var db: String

    @Option(help: "A YAML file to read, as serve reads its config.")
    var config = "config/outcomed.yaml"

    func run() async throws {
        Daemon.runConcurrencyOnEventLoops()
        _ = try Yams.load(yaml: String(contentsOfFile: config, encoding: .utf8))
        let store = try SQLiteQueueStore(path: db)
        _ = try await store.stats(now: WallClock.milliseconds())
        let router = Router()
        router.post("/v1/events") { _, _ -> Response in
            Response(status: .accepted, headers: [.contentType: "application/json"], body: .init(byteBuffer: ByteBuffer(string: #"{"action":"queued"}"#)))
        }
        var logger = Logger(label: "floor")
        logger.logLevel = .warning
        let application = Application(router: router, configuration: ApplicationConfiguration(address: .hostname("127.0.0.1", port: port), serverName: nil), logger: logger)
        try await application.runService()
    }
}
