/// Room an intake commit has in its own instance's delivery: up to `limit` of the jobs it adds
/// go straight to `in_flight`, leased to `owner` for `leaseMillis`, so the instance that took
/// the events sends them without first claiming them from the store (a store round trip and a
/// wait for the claim fewer per event). Only a job whose call has nothing pending or in flight,
/// and comes once in the batch, goes; the rest are pending as before.
public struct IntakeHandoff: Sendable, Equatable {
    /// The instance that will hold the leases.
    public var owner: String
    /// At most this many jobs go in flight.
    public var limit: Int
    /// Each lease's length, from the store's clock at the commit.
    public var leaseMillis: Int64

    /// Creates room for `limit` jobs.
    public init(owner: String, limit: Int, leaseMillis: Int64) {
        self.owner = owner
        self.limit = limit
        self.leaseMillis = leaseMillis
    }
}

/// Where an intake commit takes its handoff's room from, and hands its jobs back to: this
/// instance's delivery (`DeliveryHandoff`).
public protocol IntakeHandoffTarget: Sendable {
    /// Room for up to `count` jobs of one commit; nil when there is none.
    func reserve(upTo count: Int) -> IntakeHandoff?
    /// The commit that reserved `room` ended, having put `jobs` in flight (none if it failed).
    func finish(_ room: IntakeHandoff, handedOff jobs: [Job])
}

extension [IntakeRecord] {
    /// Whether each record's call comes only once in the batch. A call that comes more than once
    /// keeps its job pending: its decisions coalesce into one job, with or without a handoff.
    var callsAlone: [Bool] {
        var counts: [String: Int] = [:]
        for record in self { counts[record.callID, default: 0] += 1 }
        return map { counts[$0.callID] == 1 }
    }
}
