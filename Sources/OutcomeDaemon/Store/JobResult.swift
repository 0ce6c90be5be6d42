/// How one attempt ended, as the store records it.
public enum JobResult: Sendable, Equatable {
    /// Delivered (or, in dry run, would have been).
    case done(jobID: Int64, status: Int?)
    /// To be retried at `nextAttemptAt`; the attempt is charged.
    case retry(jobID: Int64, status: Int?, error: String, nextAttemptAt: Int64)
    /// Given up on; the attempt is charged.
    case dead(jobID: Int64, status: Int?, error: String)
    /// Back to pending without charging an attempt (the token was refused, or shutdown).
    case release(jobID: Int64, status: Int?, error: String?, nextAttemptAt: Int64)

    var jobID: Int64 {
        switch self {
        case .done(let id, _), .retry(let id, _, _, _), .dead(let id, _, _), .release(let id, _, _, _): return id
        }
    }
}
