import ArgumentParser
import OutcomeDaemon

struct TestCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "test",
        abstract: "Runs rule tests: events and the outcomes the rules must give them."
    )

    @Argument(help: "The rule test file.")
    var file: String

    @OptionGroup var options: ConfigOption

    func run() throws {
        let suite = try RuleTestSuite.load(path: file)
        let config = try Config.load(path: options.config ?? suite.configPath ?? options.path, mode: .rules)
        let results = suite.run(config.rules)
        for result in results { print(result.line) }
        let failed = results.filter { !$0.passed }.count
        print("\(results.count - failed) passed, \(failed) failed")
        if failed > 0 { throw ExitCode(ExitStatus.failed) }
    }
}
