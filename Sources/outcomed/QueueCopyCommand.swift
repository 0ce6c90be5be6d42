import ArgumentParser
import OutcomeDaemon

struct QueueCopyCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "copy",
        abstract: "Copies the stored events and unfinished jobs into the store another config names (serve stopped).",
        discussion: "Pending and in-flight jobs arrive pending, dead ones dead. Running it again copies nothing twice."
    )

    @OptionGroup var store: StoreOption

    @Option(name: .long, help: "The config whose store receives the copy (queue.path or queue.postgres).")
    var to: String

    func run() async throws {
        let target = try Config.load(path: to, mode: .rules)
        let (counts, location) = try await store.withStore { source in
            // A serve still taking events into the source would leave them behind.
            let lock = try (source as? SQLiteQueueStore).map { try StoreLock(storePath: $0.path) }
            defer { withExtendedLifetime(lock) {} }
            return try await StoreOpener.withCommandStore(target.queue, create: true) { destination in
                guard destination.location != source.location else {
                    throw StoreError(path: destination.location, reason: "--to names the store the copy is read from")
                }
                return (try await QueueCopy.copy(from: source, to: destination), destination.location)
            }
        }
        print("copied \(counts.events) events and \(counts.jobs) jobs to \(location)")
    }
}
