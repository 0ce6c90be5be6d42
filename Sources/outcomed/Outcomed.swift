import ArgumentParser
import Foundation
import OutcomeDaemon

/// The `outcomed` command line: argument parsing only; the work happens in OutcomeDaemon.
@main
struct Outcomed: AsyncParsableCommand {
    static let version = "0.1.0"

    static let configuration = CommandConfiguration(
        commandName: "outcomed",
        abstract: "Sets call outcomes on CommVoice from operator-written rules.",
        subcommands: [CheckCommand.self, TestCommand.self, ExplainCommand.self, VersionCommand.self]
    )

    static func main() async {
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
