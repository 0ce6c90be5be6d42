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
