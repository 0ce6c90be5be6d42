import Logging

/// Opens the store a config names (SPEC §10): the embedded SQLite file, or the shared
/// PostgreSQL database, whose client runs for as long as the store is used.
public enum StoreOpener {
    /// Runs `body` with the store of `queue`; `create` is false for the commands that only read
    /// or change a store that `serve` made (SQLite: a missing file is an error, not a new store).
    public static func withStore<Result: Sendable>(
        _ queue: QueueConfig,
        create: Bool,
        environment: [String: String],
        logger: Logger,
        _ body: (any QueueStore) async throws -> Result
    ) async throws -> Result {
        try await body(SQLiteQueueStore(path: queue.path, create: create))
    }
}
