import Logging
import PostgresNIO

/// The schema: numbered, append-only migrations applied at start.
extension PostgresQueueStore {
    /// The advisory lock that migrations hold, so that instances starting together take turns
    /// (the key is "outcomed" in ASCII).
    static let migrationLock: Int64 = 0x6f75_7463_6f6d_6564

    /// The schema version this outcomed knows.
    public static var schemaVersion: Int { PostgresMigration.all.last?.version ?? 0 }

    /// Applies the migrations the database lacks, in one transaction under an advisory lock, and
    /// records them in `outcomed_schema`. Refuses a database whose schema is newer than this
    /// outcomed knows.
    public func migrate() async throws {
        let known = Self.schemaVersion
        let location = location
        let applied = try await withSession { session in
            try await session.transaction {
                try await session.execute("SELECT pg_advisory_xact_lock(\(Self.migrationLock))")
                try await session.execute("""
                    CREATE TABLE IF NOT EXISTS outcomed_schema (
                        version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at BIGINT NOT NULL
                    )
                    """)
                let current: Int = try await session.value("SELECT coalesce(max(version), 0)::bigint FROM outcomed_schema")
                guard current <= known else {
                    throw StoreError(path: location, reason: "the schema is version \(current), newer than this outcomed knows (\(known)); upgrade outcomed")
                }
                var applied: [Int] = []
                for migration in PostgresMigration.all where migration.version > current {
                    for statement in migration.statements {
                        try await session.execute(PostgresQuery(unsafeSQL: statement))
                    }
                    try await session.execute("""
                        INSERT INTO outcomed_schema (version, name, applied_at)
                        VALUES (\(migration.version), \(migration.name), \(unescaped: PostgresSession.now))
                        """)
                    applied.append(migration.version)
                }
                return applied
            }
        }
        for version in applied {
            logger.notice("migrated the PostgreSQL schema", metadata: ["event": "started", "schema_version": "\(version)"])
        }
    }
}
