import ArgumentParser
import OutcomeDaemon

/// `--config PATH | --db PATH`: which SQLite file the queue commands open; they never create one.
struct StoreOption: ParsableArguments {
    @OptionGroup var configOption: ConfigOption

    @Option(name: .long, help: "The SQLite file (default: queue.path of the config).")
    var db: String?

    func validate() throws {
        if db != nil && configOption.config != nil {
            throw ValidationError("give --config or --db, not both")
        }
    }

    func open() throws -> SQLiteQueueStore {
        let path = try db ?? Config.load(path: configOption.path, mode: .rules).queue.path
        return try SQLiteQueueStore(path: path, create: false)
    }
}
