/// The stored events, read for the back-test and the report (`replay`, `report`): the one read
/// a store must offer them, so that the embedded and the PostgreSQL store both can.
public protocol EventHistory: Sendable {
    /// Calls `body` with the latest event of each call among those received at or after
    /// `since` (Unix milliseconds), one at a time, oldest first, from one consistent snapshot
    /// taken when the call starts. Events that arrive meanwhile are not included. Memory does
    /// not grow with the number of events.
    func forEachLatestEvent(receivedSince since: Int64, _ body: (StoredEvent) throws -> Void) throws
}
