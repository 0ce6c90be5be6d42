import ArgumentParser
import OutcomeDaemon

struct ReportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report",
        abstract: "Compares the rules' outcomes with the labels the platform gave the calls: confusion matrix, agreement, kappa, rules."
    )

    @OptionGroup var source: BacktestOptions

    @Flag(name: .long, help: "Print the report as JSON.")
    var json = false

    @Option(name: .long, help: "Also write the report as one self-contained HTML page to this file.")
    var html: String?

    func validate() throws {
        if json, html != nil { throw ValidationError("give --json or --html, not both") }
    }

    func run() async throws {
        let (tally, skipped) = try await source.withSource { config, events, _ in
            try await onOwnThread { try Backtest.report(events, rules: config.rules, warn: ExitStatus.printError) }
        }
        if json {
            print(tally.json.serialized())
            return
        }
        if let html {
            try ReportFile.write(tally.html(subtitle: source.description), to: html)
        }
        print(tally.text)
        for line in BacktestOutput.skippedLines(skipped) { print(line) }
        if let html { print("\nwrote \(html)") }
    }
}
