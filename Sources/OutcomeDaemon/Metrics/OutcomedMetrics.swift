import Metrics
import OutcomeEngine
import Synchronization

/// The series of SPEC §7, recorded through swift-metrics (exported by swift-prometheus).
public enum OutcomedMetrics {
    /// Counters by label set, made once: intake bumps two per event, and making a counter
    /// through the factory each time costs more than the increment.
    private static let counters = Mutex<[String: Counter]>([:])

    private static func counter(_ label: String, _ dimensions: [(String, String)]) -> Counter {
        let key = label + dimensions.map { "|" + $0.0 + "=" + $0.1 }.joined()
        return counters.withLock { cache in
            if let counter = cache[key] { return counter }
            let counter = Counter(label: label, dimensions: dimensions)
            cache[key] = counter
            return counter
        }
    }

    /// Events by result: accepted, duplicate, ignored or rejected.
    public static func event(_ result: String) {
        counter("outcomed_events_total", [("result", result)]).increment()
    }

    /// A decision by rule, outcome and action.
    public static func decision(_ decision: Decision) {
        counter("outcomed_decisions_total", [
            ("rule", decision.ruleLabel), ("outcome", decision.outcome ?? "none"), ("action", decision.action.rawValue),
        ]).increment()
    }

    /// A delivery attempt's result (done, retry or dead) and HTTP status (`none` without one).
    public static func delivery(result: String, status: Int?, duration: Duration?) {
        counter("outcomed_deliveries_total", [("result", result), ("status", status.map(String.init) ?? "none")]).increment()
        if let duration {
            Metrics.Timer(label: "outcomed_delivery_duration_seconds").recordNanoseconds(duration.milliseconds * 1_000_000)
        }
    }

    /// Jobs by state and the age of the oldest pending job.
    public static func queue(_ stats: QueueStats) {
        for (state, count) in [("pending", stats.pending), ("in_flight", stats.inFlight), ("done", stats.done), ("dead", stats.dead)] {
            Gauge(label: "outcomed_queue_jobs", dimensions: [("state", state)]).record(count)
        }
        Gauge(label: "outcomed_queue_oldest_pending_age_seconds").record(stats.oldestPendingAgeSeconds)
    }

    /// Whether the circuit breaker has paused delivery.
    public static func circuit(open: Bool) {
        Gauge(label: "outcomed_circuit_open").record(open ? 1 : 0)
    }

    /// The result of the last config (re)load, and the time of the last successful one: as
    /// Prometheus's own `..._last_reload_success_timestamp_seconds`, a failure leaves it alone.
    public static func reload(successful: Bool, at seconds: Double) {
        Gauge(label: "outcomed_config_last_reload_successful").record(successful ? 1 : 0)
        if successful { Gauge(label: "outcomed_config_last_reload_timestamp_seconds").record(seconds) }
    }
}
