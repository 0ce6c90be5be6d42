import ArgumentParser
import OutcomeDaemon

struct QueueCancelCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "cancel", abstract: "Cancels pending jobs (they become dead, and can be retried).")

    @OptionGroup var store: StoreOption

    @Argument(help: "Job ids.")
    var jobIDs: [Int64]

    func run() async throws {
        let change = try await store.withStore { try await $0.cancel(ids: jobIDs, now: WallClock.milliseconds()) }
        try OperatorOutput.report(change, verb: "cancelled")
    }
}
