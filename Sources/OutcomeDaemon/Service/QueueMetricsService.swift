import Logging
import ServiceLifecycle

/// Refreshes the queue gauges (`outcomed_queue_jobs`, oldest pending age, circuit) every few seconds.
public struct QueueMetricsService: Service {
    let store: any QueueStore
    let worker: DeliveryWorker
    let interval: Duration

    /// Creates the service.
    public init(store: any QueueStore, worker: DeliveryWorker, interval: Duration = .seconds(5)) {
        self.store = store
        self.worker = worker
        self.interval = interval
    }

    public func run() async throws {
        while !Task.isCancelledOrShuttingDown {
            if let stats = try? await store.stats(now: WallClock.milliseconds()) {
                OutcomedMetrics.queue(stats)
            }
            OutcomedMetrics.circuit(open: worker.isCircuitOpen)
            try? await cancelWhenGracefulShutdown { try await Task.sleep(for: interval) }
        }
    }
}
