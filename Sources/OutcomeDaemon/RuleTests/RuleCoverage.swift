import OutcomeEngine

/// Which rules the events of a test run matched (SPEC §3): a rule counts when its condition held
/// for some test's event, whether or not an earlier rule won.
public struct RuleCoverage: Sendable, Hashable {
    /// Every rule's name, in file order.
    public var rules: [String]
    /// The rules no test's event matched, in file order.
    public var uncovered: [String]

    /// The coverage of `rules` by the events behind `results`.
    public init(rules: RuleSet, results: [RuleTestResult]) {
        let matched = Set(results.flatMap(\.matchedRules))
        self.rules = rules.rules.map(\.name)
        uncovered = self.rules.filter { !matched.contains($0) }
    }

    /// How many rules some test matched.
    public var covered: Int { rules.count - uncovered.count }

    /// The covered share in percent; a file without rules is fully covered.
    public var percent: Double {
        rules.isEmpty ? 100 : 100 * Double(covered) / Double(rules.count)
    }

    /// `coverage: K of N rules matched by a test`, then one `uncovered: RULE` per rule.
    public var lines: [String] {
        ["coverage: \(covered) of \(rules.count) rules matched by a test"] + uncovered.map { "uncovered: \($0)" }
    }

    /// Whether the share reaches `minimum` percent.
    public func meets(_ minimum: Double) -> Bool {
        percent >= minimum
    }
}
