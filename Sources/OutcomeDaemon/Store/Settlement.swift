/// What one delivery round's `settle` did: the jobs it claimed, and when the next pending job
/// is due, read in the same round so that the worker needs no second query to know when to wake.
public struct Settlement: Sendable, Equatable {
    /// The jobs claimed, oldest due first.
    public var jobs: [Job]
    /// The earliest `next_attempt_at` of a pending job after the round, on the caller's clock;
    /// nil when none is pending.
    public var nextDueAt: Int64?

    /// Creates a settlement.
    public init(jobs: [Job], nextDueAt: Int64?) {
        self.jobs = jobs
        self.nextDueAt = nextDueAt
    }
}
