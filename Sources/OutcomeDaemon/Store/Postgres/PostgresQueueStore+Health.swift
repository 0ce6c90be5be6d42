import PostgresNIO

/// Readiness: a write that proves the store takes commits again.
extension PostgresQueueStore {
    /// How long the probe waits for a connection, a lock or its statement.
    static let probeTimeout = Duration.milliseconds(500)

    /// Writes about an event's worth of bytes in a transaction of its own, which waits at most
    /// half a second: whether a commit goes through now (readiness, after a failure).
    public func probeWrite(now: Int64) async -> Result<Void, any Error> {
        let padding = probePadding
        do {
            try await withSession(until: .now + Self.probeTimeout) { session in
                try await session.transaction {
                    try await session.limitWaits(to: Self.probeTimeout)
                    try await session.execute("""
                        INSERT INTO outcomed_health (id, checked_at, padding) VALUES (1, \(unescaped: PostgresSession.now), \(padding))
                        ON CONFLICT (id) DO UPDATE SET checked_at = excluded.checked_at, padding = excluded.padding
                        """)
                }
            }
            return .success(())
        } catch {
            return .failure(error)
        }
    }
}
