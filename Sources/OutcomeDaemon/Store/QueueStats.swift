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

    /// `{"pending","in_flight","done","dead","oldest_pending_age_s"}`.
    public var json: String {
        let age = (oldestPendingAgeSeconds * 1000).rounded() / 1000
        return #"{"pending":\#(pending),"in_flight":\#(inFlight),"done":\#(done),"dead":\#(dead),"oldest_pending_age_s":\#(age)}"#
    }
}
