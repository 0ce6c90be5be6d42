/// The durable queue's settings (`queue:`).
public struct QueueConfig: Sendable, Hashable {
    /// The SQLite file of the embedded store.
    public var path: String = "/var/lib/outcomed/outcomed.sqlite"
    /// The shared PostgreSQL store; when set, it is the store and `path` is not used.
    public var postgres: PostgresConfig?
    /// Retry policy.
    public var retry = RetryConfig()
    /// How long done jobs and stored events are kept.
    public var retention: Duration = .seconds(7 * 86400)

    /// The defaults.
    public init() {}
}
