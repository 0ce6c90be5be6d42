import OutcomeEngine

/// The parts of `replay`'s output beyond the tally.
public enum BacktestOutput {
    /// The tally's JSON, plus `skipped` and, with `--apply`, what was (or would be) queued.
    public static func json(_ run: Backtest.Run, apply: Bool, applied: Backtest.Applied?) -> String {
        guard case .object(var object) = run.tally.json else { return run.tally.json.serialized() }
        object["skipped"] = .object(["ignored": .number(Double(run.skipped.ignored)), "invalid": .number(Double(run.skipped.invalid))])
        if apply {
            var summary: [String: JSONValue] = ["changed_to_none": .number(Double(run.changedToNone))]
            if let applied {
                summary["queued"] = .number(Double(applied.queued))
                summary["kept_newer"] = .number(Double(applied.keptNewer))
            } else {
                summary["would_queue"] = .array(run.changes.map { .string($0.callID) })
            }
            object["apply"] = .object(summary)
        }
        return JSONValue.object(object).serialized()
    }

    /// `skipped: ...` when anything was read but not replayed.
    public static func skippedLines(_ skipped: BacktestSource.Skipped) -> [String] {
        guard skipped.ignored + skipped.invalid > 0 else { return [] }
        return ["skipped: \(skipped.ignored) messages that carry no outcome, \(skipped.invalid) entries that are not call events"]
    }
}
