/// The report's counts (`outcomed report`, SPEC §5): the confusion matrix between the label the
/// platform gave each call (rows) and outcomed's outcome (columns), agreement, Cohen's kappa,
/// and per rule the calls it decided. Calls are added one at a time.
public struct AgreementTally: Sendable {
    /// One rule's row.
    public struct RuleRow: Sendable, Hashable {
        /// The rule's name.
        public var name: String
        /// The calls it decided (it was the first rule to match).
        public var matches: Int
        /// `matches` over all calls; 0 without calls.
        public var share: Double
        /// When the last of them was received, in Unix milliseconds; nil when none or unknown.
        public var lastMatchAt: Int64?
    }

    /// The name of an empty label or of no decision.
    public static let none = "none"

    /// The number of calls.
    public private(set) var calls = 0
    /// `matrix[label][outcome]`: calls with that platform label and that outcome; cells that are zero are absent.
    public private(set) var matrix: [String: [String: Int]] = [:]
    private let outcomes: [String]
    private let ruleNames: [String]
    private var matches: [String: Int] = [:]
    private var lastMatch: [String: Int64] = [:]

    /// An empty tally; `outcomes` orders the matrix, `rules` the rule table.
    public init(outcomes: [String], rules: [String]) {
        self.outcomes = outcomes
        ruleNames = rules
    }

    /// Counts one call: the platform's label at receipt, the outcome and rule outcomed gives it,
    /// and when it was received (Unix milliseconds), if known.
    public mutating func add(label: String?, outcome: String?, rule: String?, time: Int64?) {
        calls += 1
        let row = label.flatMap { $0.isEmpty ? nil : $0 } ?? Self.none
        matrix[row, default: [:]][outcome ?? Self.none, default: 0] += 1
        guard let rule else { return }
        matches[rule, default: 0] += 1
        if let time, time > lastMatch[rule] ?? .min { lastMatch[rule] = time }
    }

    /// Every label and outcome met, the config's outcomes first, then others by name, `none` last:
    /// the rows and the columns of the matrix, in one order so that agreement is its diagonal.
    public var categories: [String] {
        var seen = Set(matrix.keys)
        for row in matrix.values { seen.formUnion(row.keys) }
        let known = outcomes.filter { seen.contains($0) }
        let others = seen.subtracting(outcomes).subtracting([Self.none]).sorted()
        return known + others + (seen.contains(Self.none) ? [Self.none] : [])
    }

    /// The share of calls whose outcome equals their label (`none` equals `none`); nil without calls.
    public var agreement: Double? {
        guard calls > 0 else { return nil }
        let diagonal = matrix.reduce(0) { $0 + ($1.value[$1.key] ?? 0) }
        return Double(diagonal) / Double(calls)
    }

    /// Cohen's kappa: agreement beyond what the two sides' own frequencies give by chance; nil
    /// without calls, or when both sides put every call in one and the same category.
    public var kappa: Double? {
        guard calls > 0, let observed = agreement else { return nil }
        var rowTotals: [String: Int] = [:], columnTotals: [String: Int] = [:]
        for (label, row) in matrix {
            for (outcome, count) in row {
                rowTotals[label, default: 0] += count
                columnTotals[outcome, default: 0] += count
            }
        }
        let n = Double(calls)
        let expected = rowTotals.reduce(0.0) { $0 + Double($1.value) / n * Double(columnTotals[$1.key] ?? 0) / n }
        guard expected < 1 else { return nil }
        return (observed - expected) / (1 - expected)
    }

    /// The rule table, in file order.
    public var rules: [RuleRow] {
        ruleNames.map { name in
            let count = matches[name] ?? 0
            return RuleRow(name: name, matches: count, share: calls > 0 ? Double(count) / Double(calls) : 0, lastMatchAt: lastMatch[name])
        }
    }

    /// `{"calls","agreement","kappa","matrix":{LABEL:{OUTCOME:count}},"rules":[{"name","matches","share","last_match_at"}]}`.
    public var json: JSONValue {
        let number = { (value: Double?) in value.map { JSONValue.number(Self.rounded($0)) } ?? .null }
        return .object([
            "calls": .number(Double(calls)),
            "agreement": number(agreement),
            "kappa": number(kappa),
            "matrix": .object(matrix.mapValues { row in .object(row.mapValues { .number(Double($0)) }) }),
            "rules": .array(rules.map { rule in
                .object([
                    "name": .string(rule.name), "matches": .number(Double(rule.matches)), "share": .number(Self.rounded(rule.share)),
                    "last_match_at": rule.lastMatchAt.map { .string(Timestamp.format(milliseconds: $0)) } ?? .null,
                ])
            }),
        ])
    }

    /// The text report: totals, the matrix, the rule table.
    public var text: String {
        var lines = ["calls: \(calls), agreement: \(agreement.map { Percent.format($0) } ?? "-"), kappa: \(kappa.map { Self.fixed($0, 3) } ?? "-")"]
        let categories = categories
        if !categories.isEmpty {
            let first = "platform \\ outcomed"
            let labelWidth = max(first.count, categories.map(\.count).max() ?? 0)
            let widths = categories.map { category in
                max(category.count, categories.map { String(matrix[$0]?[category] ?? 0).count }.max() ?? 1)
            }
            lines.append("")
            lines.append("  " + first.padding(to: labelWidth) + zip(categories, widths).map { "  " + $0.leftPadding(to: $1) }.joined())
            for label in categories {
                let cells = zip(categories, widths).map { "  " + String(matrix[label]?[$0] ?? 0).leftPadding(to: $1) }.joined()
                lines.append("  " + label.padding(to: labelWidth) + cells)
            }
        }
        let rows = rules
        if !rows.isEmpty {
            let width = max(4, rows.map(\.name.count).max() ?? 0)
            lines.append("")
            lines.append("  " + "rule".padding(to: width) + "  " + "calls".leftPadding(to: 7) + "  " + "share".leftPadding(to: 6) + "  last match")
            for rule in rows {
                lines.append("  " + rule.name.padding(to: width) + "  " + String(rule.matches).leftPadding(to: 7) + "  "
                    + Percent.format(rule.share).leftPadding(to: 6) + "  " + (rule.lastMatchAt.map { Timestamp.format(milliseconds: $0) } ?? "-"))
            }
        }
        return lines.joined(separator: "\n")
    }

    static func rounded(_ value: Double) -> Double {
        (value * 10_000).rounded() / 10_000
    }

    static func fixed(_ value: Double, _ digits: Int) -> String {
        var scale = 1.0
        for _ in 0..<digits { scale *= 10 }
        let scaled = Int64((abs(value) * scale).rounded())
        let whole = scaled / Int64(scale), fraction = String(scaled % Int64(scale))
        return (value < 0 && scaled != 0 ? "-" : "") + "\(whole)." + String(repeating: "0", count: digits - fraction.count) + fraction
    }
}
