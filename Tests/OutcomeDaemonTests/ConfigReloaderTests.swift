import Foundation
import Testing
import TestSupport
@testable import OutcomeDaemon

/// What a reload says about settings that only a restart applies.
struct ConfigReloaderTests {
    struct Settings: Sendable, CustomStringConvertible {
        var listen = "127.0.0.1:8787"
        var queueFile = "queue.sqlite"
        var api = "timeout: 1s\n  concurrency: 2\n  rate_limit: 0"
        var maxBody = "1MiB"
        var retention = "7d"
        var connections = "idle_timeout: 60s\n  read_timeout: 10s\n  max_connections: 1024"
        var description: String { "listen \(listen), queue \(queueFile), api \(api), max_body \(maxBody), retention \(retention), \(connections)" }
    }

    static let changes: [(Settings, [String])] = [
        (Settings(listen: "127.0.0.1:8799"), ["server.listen"]),
        (Settings(queueFile: "other.sqlite"), ["queue.path"]),
        (Settings(listen: "unix:/tmp/outcomed-reload.sock", queueFile: "other.sqlite"), ["server.listen", "queue.path"]),
        (Settings(api: "timeout: 6s\n  concurrency: 9\n  rate_limit: 5", maxBody: "2MiB", retention: "1d"), []),
        (
            Settings(connections: "idle_timeout: 5s\n  read_timeout: 2s\n  max_connections: 64"),
            ["server.idle_timeout", "server.read_timeout", "server.max_connections"]
        ),
    ]

    @Test(arguments: changes)
    func aReloadWarnsOfEachChangedKeyThatNeedsARestart(changed: Settings, restartOnly: [String]) async throws {
        let directory = try TemporaryDirectory()
        try "reload-token".write(toFile: directory.path + "/token", atomically: true, encoding: .utf8)
        let path = directory.path + "/outcomed.yaml"
        func write(_ settings: Settings) throws {
            try """
                server:
                  listen: \(settings.listen)
                  max_body: \(settings.maxBody)
                  \(settings.connections)
                api:
                  base_url: http://127.0.0.1:9/api/v1
                  token_file: \(directory.path)/token
                  \(settings.api)
                queue:
                  path: \(directory.path)/\(settings.queueFile)
                  retention: \(settings.retention)
                outcomes: [interested]
                rules: []
                """.write(toFile: path, atomically: true, encoding: .utf8)
        }
        try write(Settings())
        let config = try Config.load(path: path, mode: .serve, environment: [:])
        let runtime = try DaemonRuntimeSettings(config: config, dryRun: false, environment: [:])
        let log = CapturedLog()
        let client = CurlClient(timeout: .seconds(1), maxConnections: 1, logger: log.logger())
        defer { client.shutdown() }
        let worker = DeliveryWorker(store: try SQLiteQueueStore(path: config.queue.path), client: client, settings: runtime.delivery, logger: log.logger())
        let reloader = ConfigReloader(
            config: config, dryRun: false, live: LiveConfigHolder(runtime.live), worker: worker,
            notifier: SystemdNotifier(environment: [:]), logger: log.logger()
        )

        try write(changed)
        // Twice: the second reload still runs on the values the process started with.
        for _ in 0..<2 {
            #expect((try? await reloader.reload().get()) != nil)
        }
        let warnings = log.all.filter { $0.hasPrefix("warning ") }
        #expect(warnings.count == 2 * restartOnly.count, "\(warnings)")
        for key in restartOnly {
            #expect(warnings.contains { $0.hasPrefix("warning \(key) changed: takes effect at the next restart") }, "\(warnings)")
        }
    }
}
