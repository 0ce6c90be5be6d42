import ArgumentParser
import OutcomeDaemon

/// `--since DURATION` and `--events FILE.jsonl|DIR`, shared by `replay` and `report`.
struct BacktestOptions: ParsableArguments {
    @Option(name: .long, help: "Read the store's events received in this last stretch of time (default 7d).")
    var since: String?

    @Option(name: .long, help: "Read exported events instead of the store: a JSON-lines file, or a folder of .json files.")
    var events: String?

    @OptionGroup var options: ConfigOption

    func validate() throws {
        if events != nil, since != nil {
            throw ValidationError("--since reads the store's window; --events are read whole, so give one or the other")
        }
        if let since, Durations.parse(since) == nil {
            throw ValidationError("--since: \"\(since)\" is not a duration (10m, 2h, 7d)")
        }
    }

    /// What is read, in words, for the HTML report's subtitle.
    var description: String {
        let rules = "rules of \(options.path)"
        if let events { return "\(events), through the \(rules)" }
        return "the store's calls of the last \(since ?? "7d") (per call the latest event), through the \(rules)"
    }

    /// Runs `body` with the config (its rules only, with `--events`), where the calls come
    /// from, and the store when they come from the store (embedded or PostgreSQL, kept open
    /// while `body` runs).
    func withSource<Result: Sendable>(_ body: (Config, BacktestSource, (any QueueStore)?) async throws -> Result) async throws -> Result {
        let config = try Config.load(path: options.path, mode: .rules)
        if let events { return try await body(config, .exported(path: events), nil) }
        let window = Durations.parse(since ?? "7d") ?? .seconds(7 * 86_400)
        let since = WallClock.milliseconds() - window.milliseconds
        if config.queue.postgres == nil {
            let store = try SQLiteQueueStore.openExisting(path: config.queue.path)
            return try await body(config, .store(store, since: since), store)
        }
        return try await StoreOpener.withCommandStore(config.queue, create: false) { store in
            try await body(config, .store(store, since: since), store)
        }
    }
}
