import OutcomeEngine
import Yams

extension RuleSet {
    /// Decodes `outcomes`, `default_outcome` and `rules` from the top-level mapping.
    init(yaml top: YAMLMapping, reader: YAMLReader) throws(ConfigError) {
        guard let outcomesNode = top["outcomes"] else { throw reader.error(top.node, "missing \"outcomes\": the list of outcomes rules may set") }
        let outcomes = try reader.strings(outcomesNode, "outcomes")
        guard !outcomes.isEmpty else { throw reader.error(outcomesNode, "outcomes must list at least one outcome") }
        for (index, outcome) in outcomes.enumerated() where outcomes[..<index].contains(outcome) {
            throw reader.error(reader.sequenceElement(outcomesNode, index), "outcome \"\(outcome)\" is listed twice")
        }
        func checkOutcome(_ node: Node, _ what: String) throws(ConfigError) -> String {
            let outcome = try reader.nonEmptyString(node, what)
            guard outcomes.contains(outcome) else {
                throw reader.error(node, "outcome \"\(outcome)\" is not in outcomes [\(outcomes.joined(separator: ", "))]\(Suggestion.hint(for: outcome, in: outcomes))")
            }
            return outcome
        }
        var defaultOutcome: String?
        if let node = top["default_outcome"], !reader.isNull(node) { defaultOutcome = try checkOutcome(node, "default_outcome") }

        guard let rulesNode = top["rules"] else { throw reader.error(top.node, "missing \"rules\": the list of rules") }
        var rules: [Rule] = []
        var names: [String: Node] = [:]
        for (index, ruleNode) in try reader.sequence(rulesNode, "rules").enumerated() {
            let rule = try reader.mapping(ruleNode, "rule \(index + 1)", allowed: ["name", "outcome", "when", "description"])
            for key in ["name", "outcome", "when"] where !rule.has(key) {
                throw reader.error(ruleNode, "rule \(index + 1) is missing \"\(key)\"")
            }
            guard let nameNode = rule["name"], let outcomeNode = rule["outcome"], let whenNode = rule["when"] else { continue }
            let name = try reader.nonEmptyString(nameNode, "name")
            if let first = names[name] {
                throw reader.error(nameNode, "duplicate rule name \"\(name)\" (first at line \(reader.location(first).line))")
            }
            names[name] = nameNode
            if let descriptionNode = rule["description"] { _ = try reader.string(descriptionNode, "description") }
            let outcome = try checkOutcome(outcomeNode, "outcome")
            rules.append(Rule(name: name, outcome: outcome, when: try Condition(yaml: whenNode, reader: reader)))
        }
        self.init(outcomes: outcomes, defaultOutcome: defaultOutcome, rules: rules)
    }
}
