import ArgumentParser
import OutcomeDaemon

struct QueuePurgeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "purge", abstract: "Deletes done or dead jobs older than a duration.")

    @OptionGroup var store: StoreOption

    @Option(help: "done or dead.")
    var state: JobState

    @Option(help: "A duration such as 7d or 12h.")
    var olderThan: String

    func validate() throws {
        guard state == .done || state == .dead else { throw ValidationError("--state must be done or dead") }
        guard Durations.parse(olderThan) != nil else { throw ValidationError("--older-than: bad duration \"\(olderThan)\"; use 10s, 5m, 2h or 7d") }
    }

    func run() async throws {
        guard let age = Durations.parse(olderThan) else { return }
        let removed = try await store.withStore { try await $0.purge(state: state, before: WallClock.milliseconds() - age.milliseconds) }
        print("purged \(removed) \(state.rawValue) jobs")
    }
}
