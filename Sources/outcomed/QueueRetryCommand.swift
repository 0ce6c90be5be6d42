import ArgumentParser
import OutcomeDaemon

struct QueueRetryCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "retry", abstract: "Puts dead jobs back to pending, attempts reset.")

    @OptionGroup var store: StoreOption

    @Argument(help: "Job ids.")
    var jobIDs: [Int64] = []

    @Flag(help: "Every dead job.")
    var dead = false

    func validate() throws {
        if dead == !jobIDs.isEmpty { throw ValidationError("give job ids or --dead") }
    }

    func run() async throws {
        let change = try await store.withStore { try await $0.retry(ids: dead ? nil : jobIDs, now: WallClock.milliseconds()) }
        try OperatorOutput.report(change, verb: "retried")
    }
}
