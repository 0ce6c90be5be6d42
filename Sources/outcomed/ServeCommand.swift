import ArgumentParser
import Logging
import OutcomeDaemon

extension LogFormat: ExpressibleByArgument {}
extension Logger.Level: @retroactive ExpressibleByArgument {}

struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Receives call events, decides outcomes and delivers them (the daemon)."
    )

    @OptionGroup var options: ConfigOption

    @Flag(help: "Decide and queue, but log would_patch instead of sending.")
    var dryRun = false

    @Option(help: "logfmt or json.")
    var logFormat: LogFormat = .logfmt

    @Option(help: "trace, debug, info, notice, warning, error or critical.")
    var logLevel: Logger.Level = .info

    func run() async throws {
        Daemon.bootstrapLogging(format: logFormat, level: logLevel)
        try await Daemon.run(ServeOptions(configPath: options.path, dryRun: dryRun, logFormat: logFormat, logLevel: logLevel))
    }
}
