import ArgumentParser
import OutcomeDaemon

/// `--config PATH | --db PATH`: which store the queue commands open (the config's, embedded
/// or PostgreSQL, or a SQLite file); they never create one.
struct StoreOption: ParsableArguments {
    @OptionGroup var configOption: ConfigOption

    @Option(name: .long, help: "A SQLite file (default: the store of the config, queue.path or queue.postgres).")
    var db: String?

    func validate() throws {
        if db != nil && configOption.config != nil {
            throw ValidationError("give --config or --db, not both")
        }
    }

    /// Runs `body` with the store open.
    func withStore<Result: Sendable>(_ body: (any QueueStore) async throws -> Result) async throws -> Result {
        if let db { return try await body(SQLiteQueueStore(path: db, create: false)) }
        let config = try Config.load(path: configOption.path, mode: .rules)
        return try await StoreOpener.withCommandStore(config.queue, create: false, body)
    }
}
