import ArgumentParser
import OutcomeDaemon

struct QueueCancelCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "cancel", abstract: "Cancels pending jobs (they become dead, and can be retried).")

    @OptionGroup var store: StoreOption

    @Argument(help: "Job ids.")
    var jobIDs: [Int64]

    func run() throws {
        let change = try store.open().cancel(ids: jobIDs, now: WallClock.milliseconds())
        try OperatorOutput.report(change, verb: "cancelled")
    }
}
