import ArgumentParser
import Logging
import OutcomeDaemon

struct ReplayCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "replay",
        abstract: "Back-tests the rules: runs past calls through them and shows what would change."
    )

    @OptionGroup var source: BacktestOptions

    @Flag(name: .long, help: "Print the result as JSON.")
    var json = false

    @Flag(name: .long, help: "Queue the changed outcomes (with --yes; without it, say what would be queued).")
    var apply = false

    @Flag(name: .long, help: "Confirm --apply.")
    var yes = false

    func validate() throws {
        if yes, !apply { throw ValidationError("--yes confirms --apply; give both") }
        if apply, source.events != nil { throw ValidationError("--apply queues stored calls; it cannot be used with --events") }
    }

    func run() async throws {
        let apply = apply, yes = yes
        let (run, applied) = try await source.withSource { config, events, store in
            // The back-test reads synchronously; the pool stays free for the store's queries.
            let run = try await onOwnThread { try Backtest.replay(events, rules: config.rules, collectChanges: apply, warn: ExitStatus.printError) }
            guard apply, yes, let store else { return (run, Backtest.Applied?.none) }
            let logger = Logger(label: "outcomed.replay") { _ in LineLogHandler(format: .logfmt, level: .info, journal: false) }
            return (run, try await Backtest.apply(run, to: store, logger: logger))
        }
        if json {
            print(BacktestOutput.json(run, apply: apply, applied: applied))
            return
        }
        print(run.tally.text)
        for line in BacktestOutput.skippedLines(run.skipped) { print(line) }
        guard apply else { return }
        print("")
        if let applied {
            print("queued \(applied.queued) calls" + (applied.keptNewer > 0 ? "; kept \(applied.keptNewer) whose newer event's decision is pending" : ""))
            if run.changedToNone > 0 { print("not queued: \(run.changedToNone) calls that would change to no outcome (there is nothing to set)") }
        } else {
            for line in Backtest.preview(run) { print(line) }
        }
    }
}
