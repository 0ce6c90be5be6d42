import Logging
import OutcomeEngine

/// `outcomed replay`: calls run through the rules one at a time and compared with the outcome
/// they had (SPEC §5). Nothing is logged or counted in metrics per call.
public enum Backtest {
    /// A back-test's result.
    public struct Run: Sendable {
        /// The counts.
        public var tally: ReplayTally
        /// The stored calls whose outcome would change to a new one, in the order read (when asked for).
        public var changes: [ReplayChange]
        /// Calls that would change to no outcome: there is nothing to PATCH for them.
        public var changedToNone: Int
        /// What was read but not replayed.
        public var skipped: BacktestSource.Skipped
    }

    /// Replays `source` through `rules`; with `collectChanges`, keeps the stored calls to queue.
    public static func replay(_ source: BacktestSource, rules: RuleSet, collectChanges: Bool = false, warn: (String) -> Void) throws -> Run {
        var beforeKnown = false
        if case .store = source { beforeKnown = true }
        var tally = ReplayTally(rules: rules.rules.map(\.name), beforeKnown: beforeKnown)
        var changes: [ReplayChange] = []
        var changedToNone = 0
        let skipped = try source.forEachDecided(rules: rules, warn: warn) { item, decision in
            let from = beforeKnown ? item.recorded?.outcome : item.event.currentOutcome
            guard tally.add(callID: item.event.callID, from: from, ruleBefore: item.recorded?.rule, decision: decision) else { return }
            guard let outcome = decision.outcome else {
                changedToNone += 1
                return
            }
            if collectChanges, let eventID = item.eventID {
                changes.append(ReplayChange(callID: item.event.callID, eventID: eventID, from: from, outcome: outcome, rule: decision.rule))
            }
        }
        return Run(tally: tally, changes: changes, changedToNone: changedToNone, skipped: skipped)
    }

    /// `outcomed report`: each call's label at receipt against the outcome `rules` give it.
    public static func report(_ source: BacktestSource, rules: RuleSet, warn: (String) -> Void) throws -> (AgreementTally, BacktestSource.Skipped) {
        var tally = AgreementTally(outcomes: rules.outcomes, rules: rules.rules.map(\.name))
        let skipped = try source.forEachDecided(rules: rules, warn: warn) { item, decision in
            tally.add(label: item.event.currentOutcome, outcome: decision.outcome, rule: decision.rule, time: item.time ?? EventTime.of(item.event))
        }
        return (tally, skipped)
    }

    /// What `--apply --yes` did.
    public struct Applied: Sendable, Hashable {
        /// Calls queued (as a new job, or into the call's pending job).
        public var queued = 0
        /// Calls left alone because a newer event's decision is pending.
        public var keptNewer = 0
    }

    /// Queues the run's changes through the normal queue and logs each as `event=decided source=replay`.
    public static func apply(_ run: Run, to store: any QueueStore, logger: Logger, now: Int64 = WallClock.milliseconds()) async throws -> Applied {
        var applied = Applied()
        for (change, result) in zip(run.changes, try await store.queueReplayed(run.changes, now: now)) {
            switch result {
            case .queued(let jobID):
                applied.queued += 1
                logger.info("decided", metadata: [
                    "event": "decided", "source": "replay", "action": "queued", "call_id": "\(change.callID)",
                    "outcome": "\(change.outcome)", "rule": "\(change.rule ?? "default_outcome")",
                    "event_id": "\(change.eventID)", "job_id": "\(jobID)",
                ])
            case .newerPending(let jobID):
                applied.keptNewer += 1
                logger.info("kept", metadata: [
                    "event": "decided", "source": "replay", "action": "skipped", "call_id": "\(change.callID)",
                    "job_id": "\(jobID)", "msg": "a newer event's decision is pending; kept",
                ])
            }
        }
        return applied
    }

    /// Lines that say what `--apply` without `--yes` would queue: up to `limit` calls, then how many more.
    public static func preview(_ run: Run, limit: Int = 20) -> [String] {
        var lines = ["would queue \(run.changes.count) calls (run with --apply --yes to queue them)"]
        for change in run.changes.prefix(limit) {
            lines.append("  \(change.callID): \(change.from ?? "none") -> \(change.outcome) (rule \(change.rule ?? "default_outcome"))")
        }
        if run.changes.count > limit { lines.append("  ... and \(run.changes.count - limit) more") }
        if run.changedToNone > 0 { lines.append("not queued: \(run.changedToNone) calls that would change to no outcome (there is nothing to set)") }
        return lines
    }
}
