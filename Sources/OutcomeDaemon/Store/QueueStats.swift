/// Job counts by state, and the age of the oldest pending job.
public struct QueueStats: Sendable, Equatable {
    /// Jobs waiting to be sent.
    public var pending: Int
    /// Jobs being sent.
    public var inFlight: Int
    /// Jobs delivered.
    public var done: Int
    /// Jobs given up on.
    public var dead: Int
    /// Seconds since the oldest pending job's decision; 0 when none is pending.
    public var oldestPendingAgeSeconds: Double
}
