import ArgumentParser
import OutcomeDaemon
import OutcomeEngine

extension JobState: ExpressibleByArgument {}

struct QueueListCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "list", abstract: "Lists jobs, newest first.")

    @OptionGroup var store: StoreOption

    @Option(help: "Only jobs in this state: pending, in_flight, done or dead.")
    var state: JobState?

    @Option(name: .customLong("call"), help: "Only jobs of this call id.")
    var callID: String?

    @Option(help: "At most this many jobs.")
    var limit = 50

    @Flag(help: "Print JSON.")
    var json = false

    func validate() throws {
        guard limit > 0 else { throw ValidationError("--limit must be at least 1") }
    }

    func run() async throws {
        let jobs = try await store.withStore { try await $0.list(state: state, callID: callID, limit: limit) }
        print(json ? JSONValue.array(jobs.map(\.json)).serialized() : Job.table(jobs))
    }
}
