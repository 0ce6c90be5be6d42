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

/// Liveness of the instances that share the store, for the shared rate limit.
extension PostgresQueueStore {
    /// An instance whose heartbeat is older than this is gone (heartbeats come every second).
    static let instanceLiveness: Int64 = 3000

    /// Records `owner`'s heartbeat on the database's clock, forgets instances silent for a
    /// minute, and returns how many were heard from within `instanceLiveness`, `owner` included.
    public func heartbeat(owner: String, now: Int64) async throws -> Int {
        try await withSession { session in
            try await session.execute("""
                INSERT INTO outcomed_instances (owner, seen_at) VALUES (\(owner), \(unescaped: PostgresSession.now))
                ON CONFLICT (owner) DO UPDATE SET seen_at = excluded.seen_at
                """)
            try await session.execute("DELETE FROM outcomed_instances WHERE seen_at < \(unescaped: PostgresSession.now) - 60000")
            let live: Int64 = try await session.value("""
                SELECT count(*) FROM outcomed_instances WHERE seen_at >= \(unescaped: PostgresSession.now) - \(Self.instanceLiveness)
                """)
            return max(1, Int(live))
        }
    }
}
