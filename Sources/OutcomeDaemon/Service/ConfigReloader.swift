import Foundation
import Logging
import ServiceLifecycle
import UnixSignals

/// Reloads the config on SIGHUP or `POST /-/reload`: the new file is validated first, and a bad
/// one is logged (`config_reload_failed`, with FILE:LINE:COL) while the old one keeps running.
public actor ConfigReloader: Service {
    private let path: String
    private let dryRun: Bool
    private let live: LiveConfigHolder
    private let worker: DeliveryWorker
    private let notifier: SystemdNotifier
    private let logger: Logger
    /// The config the process started with, which the restart-only settings still come from.
    private let started: Config

    /// Creates the reloader around the config that is running.
    public init(config: Config, dryRun: Bool, live: LiveConfigHolder, worker: DeliveryWorker, notifier: SystemdNotifier, logger: Logger) {
        path = config.path
        started = config
        self.dryRun = dryRun
        self.live = live
        self.worker = worker
        self.notifier = notifier
        self.logger = logger
    }

    public func run() async throws {
        for await _ in await UnixSignalsSequence(trapping: .sighup).cancelOnGracefulShutdown() {
            _ = reload()
        }
    }

    /// Validates and applies the config file again.
    public func reload() -> Result<Void, ConfigError> {
        notifier.notify("RELOADING=1\nMONOTONIC_USEC=\(Self.monotonicMicroseconds())")
        defer { notifier.notify("READY=1") }
        let environment = ProcessInfo.processInfo.environment
        let now = WallClock.seconds()
        do {
            let config = try Config.load(path: path, mode: .serve, environment: environment)
            let runtime = try DaemonRuntimeSettings(config: config, dryRun: dryRun, environment: environment)
            live.replace(runtime.live)
            worker.update(runtime.delivery)
            for key in Self.restartOnlyChanges(from: started, to: config) {
                logger.warning("\(key) changed: takes effect at the next restart", metadata: ["event": "config_loaded", "key": "\(key)"])
            }
            OutcomedMetrics.reload(successful: true, at: now)
            logger.notice("config_loaded", metadata: [
                "event": "config_loaded", "path": "\(path)", "rules": "\(config.rules.rules.count)", "reload": "true",
            ])
            return .success(())
        } catch {
            OutcomedMetrics.reload(successful: false, at: now)
            logger.error("config_reload_failed", metadata: ["event": "config_reload_failed", "error": "\(error.description)"])
            return .failure(error)
        }
    }

    /// The keys whose new value differs from the running one but is only read at start: the
    /// listening socket, its connection handling and the store are set up once. Everything
    /// else applies at once.
    static func restartOnlyChanges(from running: Config, to new: Config) -> [String] {
        var keys: [String] = []
        if new.server.listen != running.server.listen { keys.append("server.listen") }
        if new.server.idleTimeout != running.server.idleTimeout { keys.append("server.idle_timeout") }
        if new.server.readTimeout != running.server.readTimeout { keys.append("server.read_timeout") }
        if new.server.maxConnections != running.server.maxConnections { keys.append("server.max_connections") }
        if new.queue.path != running.queue.path { keys.append("queue.path") }
        return keys
    }

    static func monotonicMicroseconds() -> Int64 {
        var now = timespec()
        clock_gettime(CLOCK_MONOTONIC, &now)
        return Int64(now.tv_sec) * 1_000_000 + Int64(now.tv_nsec) / 1000
    }
}
