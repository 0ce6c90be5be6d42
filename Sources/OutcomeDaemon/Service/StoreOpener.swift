import Logging
import PostgresNIO

/// Opens the store a config names (SPEC §10): the embedded SQLite file, or the shared
/// PostgreSQL database, whose client runs in a task for as long as the store is used.
public enum StoreOpener {
    /// Runs `body` with the store of `queue`; `create` is false for the commands that only read
    /// or change a store that `serve` made (SQLite: a missing file is an error, not a new store).
    /// PostgreSQL: the schema is migrated first, and a newer schema than this build knows is refused.
    public static func withStore<Result: Sendable>(
        _ queue: QueueConfig,
        create: Bool,
        environment: [String: String],
        logger: Logger,
        _ body: (any QueueStore) async throws -> Result
    ) async throws -> Result {
        guard let postgres = queue.postgres else {
            return try await body(SQLiteQueueStore(path: queue.path, create: create))
        }
        let url: PostgresURL
        do {
            url = try PostgresURL(postgres.url.resolve(environment: environment))
        } catch let error as PostgresURLError {
            throw ConfigError(postgres.url.location, "\(postgres.url.key): \(error)")
        }
        let client = PostgresClient(configuration: url.clientConfiguration(pool: postgres.pool), backgroundLogger: logger)
        return try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { await client.run() }
            defer { group.cancelAll() }
            // One intake commit at a time: its batches grow with the load, and the server's CPU goes
            // to fewer, larger statements (more at once measured slower, and starved delivery; README).
            let store = PostgresQueueStore(client: client, location: url.redacted, intakeCommitsAtOnce: 1, logger: logger)
            do {
                try await store.migrate()
            } catch let error as PSQLError {
                throw StoreError(path: url.redacted, reason: PostgresErrorText.describe(error))
            }
            return try await body(store)
        }
    }
}
