/// The back-test's counts (`outcomed replay`, SPEC §5): for each call, the outcome it had before
/// and the one the rules give it now, the `OLD -> NEW` transitions with example calls, and per
/// rule the calls it decided before and after. Calls are added one at a time; nothing but the
/// counts and three examples per transition is kept.
public struct ReplayTally: Sendable {
    /// One `OLD -> NEW` row.
    public struct Transition: Sendable, Hashable {
        /// The outcome before; nil for none.
        public var from: String?
        /// The outcome now; nil for none.
        public var to: String?
        /// How many calls went this way.
        public var count: Int
        /// Up to three of their call ids, in the order they were read.
        public var examples: [String]
    }

    /// One rule's counts.
    public struct RuleCount: Sendable, Hashable {
        /// The rule's name.
        public var name: String
        /// Calls it decided before; nil when that is not known (exported events).
        public var before: Int?
        /// Calls it decides now.
        public var after: Int
    }

    struct Key: Hashable {
        var from: String?
        var to: String?
    }

    /// The number of calls replayed.
    public private(set) var calls = 0
    /// The calls whose outcome would change.
    public private(set) var changed = 0
    /// Whether the rule that decided each call before is known.
    public let beforeKnown: Bool
    private var transitionOrder: [Key] = []
    private var transitionCounts: [Key: Transition] = [:]
    private var ruleNames: [String]
    private var before: [String: Int] = [:]
    private var after: [String: Int] = [:]

    /// An empty tally over the rules named `rules`, in file order.
    public init(rules: [String], beforeKnown: Bool) {
        ruleNames = rules
        self.beforeKnown = beforeKnown
    }

    /// Counts one call: its outcome and rule before (the rule nil when unknown or none) and its decision now.
    /// Returns whether the outcome changed.
    @discardableResult
    public mutating func add(callID: String, from: String?, ruleBefore: String?, decision: Decision) -> Bool {
        calls += 1
        let key = Key(from: from, to: decision.outcome)
        if transitionCounts[key] == nil {
            transitionOrder.append(key)
            transitionCounts[key] = Transition(from: from, to: decision.outcome, count: 0, examples: [])
        }
        transitionCounts[key]?.count += 1
        if let count = transitionCounts[key]?.examples.count, count < 3 {
            transitionCounts[key]?.examples.append(callID)
        }
        if let ruleBefore {
            if before[ruleBefore] == nil, !ruleNames.contains(ruleBefore) { ruleNames.append(ruleBefore) }
            before[ruleBefore, default: 0] += 1
        }
        if let rule = decision.rule { after[rule, default: 0] += 1 }
        let isChange = from != decision.outcome
        if isChange { changed += 1 }
        return isChange
    }

    /// The transitions, the most frequent first (changes before non-changes on a tie).
    public var transitions: [Transition] {
        transitionOrder.compactMap { transitionCounts[$0] }.enumerated().sorted { lhs, rhs in
            if lhs.element.count != rhs.element.count { return lhs.element.count > rhs.element.count }
            let lhsSame = lhs.element.from == lhs.element.to, rhsSame = rhs.element.from == rhs.element.to
            if lhsSame != rhsSame { return !lhsSame }
            return lhs.offset < rhs.offset
        }.map(\.element)
    }

    /// Per rule, in file order (then rules that only decided before, as first met).
    public var rules: [RuleCount] {
        ruleNames.map { RuleCount(name: $0, before: beforeKnown ? before[$0, default: 0] : nil, after: after[$0, default: 0]) }
    }

    /// `{"calls","changed","transitions":[{"from","to","count","examples"}],"rules":[{"name","before","after"}]}`.
    public var json: JSONValue {
        let outcome = { (value: String?) in value.map(JSONValue.string) ?? .null }
        return .object([
            "calls": .number(Double(calls)),
            "changed": .number(Double(changed)),
            "transitions": .array(transitions.map { row in
                .object([
                    "from": outcome(row.from), "to": outcome(row.to), "count": .number(Double(row.count)),
                    "examples": .array(row.examples.map(JSONValue.string)),
                ])
            }),
            "rules": .array(rules.map { rule in
                .object([
                    "name": .string(rule.name), "before": rule.before.map { .number(Double($0)) } ?? .null,
                    "after": .number(Double(rule.after)),
                ])
            }),
        ])
    }

    /// The text report: totals, the `OLD -> NEW  count` table with examples, and the rule table.
    public var text: String {
        var lines = ["calls: \(calls), would change: \(changed) (\(Percent.format(changed, of: calls)))"]
        let rows = transitions
        if !rows.isEmpty {
            let name = { (value: String?) in value ?? "none" }
            let oldWidth = max(3, rows.map { name($0.from).count }.max() ?? 0)
            let newWidth = max(3, rows.map { name($0.to).count }.max() ?? 0)
            let countWidth = max(5, rows.map { String($0.count).count }.max() ?? 0)
            lines.append("")
            lines.append("  " + "OLD".padding(to: oldWidth) + " -> " + "NEW".padding(to: newWidth) + "  " + "count".leftPadding(to: countWidth) + "  examples")
            for row in rows {
                let mark = row.from == row.to ? "  (same)" : ""
                lines.append("  " + name(row.from).padding(to: oldWidth) + " -> " + name(row.to).padding(to: newWidth) + "  "
                    + String(row.count).leftPadding(to: countWidth) + "  " + row.examples.joined(separator: ", ") + mark)
            }
        }
        let ruleRows = rules
        if !ruleRows.isEmpty {
            let width = max(4, ruleRows.map(\.name.count).max() ?? 0)
            lines.append("")
            lines.append("  " + "rule".padding(to: width) + "  " + "before".leftPadding(to: 6) + "  " + "after".leftPadding(to: 6))
            for rule in ruleRows {
                let before = rule.before.map(String.init) ?? "-"
                lines.append("  " + rule.name.padding(to: width) + "  " + before.leftPadding(to: 6) + "  " + String(rule.after).leftPadding(to: 6))
            }
        }
        return lines.joined(separator: "\n")
    }
}

extension String {
    func leftPadding(to width: Int) -> String {
        count >= width ? self : String(repeating: " ", count: width - count) + self
    }
}
