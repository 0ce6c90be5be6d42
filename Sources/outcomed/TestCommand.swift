import ArgumentParser
import Foundation
import OutcomeDaemon
import OutcomeEngine

struct TestCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "test",
        abstract: "Runs rule tests: events and the outcomes the rules must give them, and rule coverage."
    )

    @Argument(help: "The rule test file.")
    var file: String

    @OptionGroup var options: ConfigOption

    @Option(name: .long, help: "Exit 1 when fewer than this percentage of rules is matched by a test (0-100).")
    var minCoverage: Double?

    @Option(name: .long, help: "Also write the results as JUnit XML to this file.")
    var junit: String?

    @Option(name: .customLong("run"), help: "Run only the tests whose names this regular expression matches.")
    var runPattern: String?

    func validate() throws {
        if let minCoverage, !(0...100).contains(minCoverage) {
            throw ValidationError("--min-coverage must be a percentage from 0 to 100, not \(minCoverage)")
        }
        if let runPattern, (try? Pattern(runPattern)) == nil {
            throw ValidationError("--run: invalid regular expression \"\(runPattern)\"")
        }
    }

    func run() throws {
        var suite = try RuleTestSuite.load(path: file)
        if let runPattern {
            suite = suite.filtered(by: try Pattern(runPattern))
            if suite.cases.isEmpty { ExitStatus.printError("\(file): no test name matches --run \(runPattern)") }
        }
        let config = try Config.load(path: options.config ?? suite.configPath ?? options.path, mode: .rules)
        try suite.validate(against: config.rules)
        let results = suite.run(config.rules)
        for result in results { print(result.line) }
        let failed = results.filter { !$0.passed }.count
        print("\(results.count - failed) passed, \(failed) failed")
        let coverage = RuleCoverage(rules: config.rules, results: results)
        for line in coverage.lines { print(line) }
        if let junit {
            try ReportFile.write(JUnitReport(suite: file, results: results, coverage: coverage).xml, to: junit)
        }
        if failed > 0 || (runPattern != nil && results.isEmpty) { throw ExitCode(ExitStatus.failed) }
        if let minCoverage, !coverage.meets(minCoverage) {
            ExitStatus.printError("coverage \(Self.format(coverage.percent))% is below --min-coverage \(Self.format(minCoverage))%; uncovered: \(coverage.uncovered.joined(separator: ", "))")
            throw ExitCode(ExitStatus.failed)
        }
    }

    static func format(_ percent: Double) -> String {
        percent == percent.rounded() ? String(Int(percent)) : String(format: "%.1f", percent)
    }
}
