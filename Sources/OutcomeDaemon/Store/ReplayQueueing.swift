/// What became of one change queued by `replay --apply --yes`.
public enum ReplayQueueing: Sendable, Hashable {
    /// Queued as this job (a pending job of the call took the new outcome, or a new job).
    case queued(jobID: Int64)
    /// Left alone: the call has a pending job from a newer event, decided by the rules now in force.
    case newerPending(jobID: Int64)
}
