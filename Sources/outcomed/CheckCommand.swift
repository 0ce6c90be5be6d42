import ArgumentParser
import OutcomeDaemon

struct CheckCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check",
        abstract: "Validates the config file, its rules and its secret files."
    )

    @OptionGroup var options: ConfigOption

    func run() throws {
        let config = try Config.load(path: options.path, mode: .check)
        for warning in config.warnings { ExitStatus.printError(warning.description) }
        print(config.summary)
    }
}
