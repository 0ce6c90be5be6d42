/// How failed PATCHes are retried (`queue.retry:`).
public struct RetryConfig: Sendable, Hashable {
    /// The delay after the first failure.
    public var initialDelay: Duration = .seconds(2)
    /// The longest delay between attempts.
    public var maxDelay: Duration = .seconds(600)
    /// Attempts before a job is dead.
    public var maxAttempts: Int = 12
    /// Age since the decision after which a job is dead.
    public var maxAge: Duration = .seconds(86400)

    /// The defaults.
    public init() {}
}
