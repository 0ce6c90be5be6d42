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

/// What an intake commit did: one receipt per record, and the jobs it put in flight for the
/// committing instance (see `IntakeHandoff`).
public struct IntakeCommit: Sendable {
    /// One per record, in order.
    public var receipts: [IntakeReceipt]
    /// The jobs now in flight under the handoff's owner, which it must send.
    public var handedOff: [Job]

    /// Creates the result of a commit.
    public init(receipts: [IntakeReceipt], handedOff: [Job] = []) {
        self.receipts = receipts
        self.handedOff = handedOff
    }
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
