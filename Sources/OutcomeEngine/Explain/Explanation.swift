/// Every rule's verdict on an event, and the decision they led to.
public struct Explanation: Sendable {
    /// The event explained.
    public var event: CallEvent
    /// The final decision.
    public var decision: Decision
    /// Each rule's verdict, in file order.
    public var rules: [RuleVerdict]

    /// A human-readable report: one line per rule, then the decision.
    public var text: String {
        let turns = event.transcript.turns
        let spoken = turns.filter { $0.speaker != .other }.count
        var lines = ["call \(event.callID) (\(event.shape.rawValue)), \(turns.count) turns (\(spoken) spoken), call_outcome \(event.currentOutcome.map { "\"\($0)\"" } ?? "unset")"]
        let width = rules.map(\.name.count).max() ?? 0
        for (index, verdict) in rules.enumerated() {
            let name = verdict.name.padding(to: width)
            lines.append("  \(index + 1). \(name)  \(verdict.matched ? "MATCH   " : "no match")  \(verdict.reason)")
        }
        lines.append(decisionLine)
        return lines.joined(separator: "\n")
    }

    /// The final line of the report.
    public var decisionLine: String {
        switch decision.action {
        case .noMatch:
            return "decision: no_match (no rule matched and there is no default_outcome)"
        case .queued, .unchanged:
            let source = decision.rule.map { "rule \($0)" } ?? "default_outcome"
            let outcome = decision.outcome ?? "null"
            if decision.action == .unchanged {
                return "decision: unchanged \(outcome) (\(source); the call already has this outcome)"
            }
            return "decision: queued \(outcome) (\(source))"
        }
    }
}

extension String {
    func padding(to width: Int) -> String {
        count >= width ? self : self + String(repeating: " ", count: width - count)
    }
}
