import Foundation
import Logging
import ServiceLifecycle

/// Sends `WATCHDOG=1` every `WATCHDOG_USEC/2` while the delivery loop is alive, and
/// `STATUS=` with the queue depth; if the loop stops going round, the pings stop and systemd
/// restarts the service.
public struct WatchdogService: Service {
    let notifier: SystemdNotifier
    let interval: Duration
    let worker: DeliveryWorker
    let store: any QueueStore
    let ready: ReadyFlag
    let logger: Logger

    /// Creates the service, or nil when systemd asked for no watchdog; pings start once `ready` is set.
    public init?(environment: [String: String], notifier: SystemdNotifier, worker: DeliveryWorker, store: any QueueStore, ready: ReadyFlag, logger: Logger) {
        guard notifier.isEnabled, let text = environment["WATCHDOG_USEC"], let usec = Int64(text), usec > 0 else { return nil }
        if let pid = environment["WATCHDOG_PID"], let value = Int32(pid), value != getpid() { return nil }
        self.notifier = notifier
        interval = .microseconds(usec / 2)
        self.worker = worker
        self.store = store
        self.ready = ready
        self.logger = logger
    }

    public func run() async throws {
        let stale = max(interval.milliseconds * 2, 2000)
        while !Task.isCancelledOrShuttingDown {
            guard ready.isSet else {
                try? await cancelWhenGracefulShutdown { try await Task.sleep(for: .milliseconds(20)) }
                continue
            }
            let age = WallClock.milliseconds() - worker.lastHeartbeat
            if age <= stale {
                notifier.notify("WATCHDOG=1")
            } else {
                logger.error("delivery loop is stuck; watchdog pings stopped", metadata: ["event": "watchdog", "stale_ms": "\(age)"])
            }
            if let stats = try? await store.stats(now: WallClock.milliseconds()) {
                notifier.notify("STATUS=pending \(stats.pending), in flight \(stats.inFlight), dead \(stats.dead)")
            }
            try? await cancelWhenGracefulShutdown { try await Task.sleep(for: interval) }
        }
    }
}
