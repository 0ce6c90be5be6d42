import ArgumentParser
import Foundation
import OutcomeDaemon

/// The `outcomed` command line: argument parsing only; the work happens in OutcomeDaemon.
struct Outcomed: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "outcomed",
        abstract: "Sets call outcomes on CommVoice from operator-written rules.",
        version: "outcomed \(OutcomedVersion.current)",
        subcommands: [ServeCommand.self, CheckCommand.self, TestCommand.self, ExplainCommand.self, ReplayCommand.self, ReportCommand.self, QueueCommand.self, VersionCommand.self]
    )

    nonisolated static func execute() async {
        do {
            var command = try parseAsRoot()
            if var asyncCommand = command as? AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                try command.run()
            }
        } catch {
            Foundation.exit(ExitStatus.report(error))
        }
    }
}
