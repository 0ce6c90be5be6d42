extension QueueStats {
    /// `{"pending","in_flight","done","dead","oldest_pending_age_s"}`.
    public var json: String {
        let age = (oldestPendingAgeSeconds * 1000).rounded() / 1000
        return #"{"pending":\#(pending),"in_flight":\#(inFlight),"done":\#(done),"dead":\#(dead),"oldest_pending_age_s":\#(age)}"#
    }
}
