import ArgumentParser

struct QueueCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "queue",
        abstract: "Inspects and repairs the delivery queue; safe while serve runs.",
        subcommands: [
            QueueStatsCommand.self, QueueListCommand.self, QueueRetryCommand.self, QueueCancelCommand.self, QueuePurgeCommand.self,
            QueueCopyCommand.self,
        ]
    )
}
