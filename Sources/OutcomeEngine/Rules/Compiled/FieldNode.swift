/// `field: PATH` and one operator (or a `PATH: value` shorthand).
final class FieldNode: ConditionNode {
    let path: FieldPath
    let op: FieldOperator
    let fanOut: Bool

    init(path: FieldPath, op: FieldOperator) {
        self.path = path
        self.op = op
        fanOut = path.hasWildcard
    }

    func evaluate(_ context: EvaluationContext, explain: Bool) -> Verdict {
        if !explain {
            let matched = fanOut ? op.holds(for: path.values(in: context.event.call)) : op.holds(for: path.value(in: context.event.call))
            return Verdict(matched: matched, reason: "")
        }
        let values = path.values(in: context.event.call)
        let matched = op.holds(for: values)
        let found: String
        switch values.count {
        case 0: found = "missing"
        case 1: found = values[0].shortDescription
        default: found = "[" + values.map(\.shortDescription).joined(separator: ", ") + "]"
        }
        let reason = "\(path) is \(found), \(matched ? "" : "not ")\(op.summary)"
        return Verdict(matched: matched, reason: matched ? reason : reason + Self.booleanHint(op, values))
    }

    /// A quoted "true" or "false" never equals a JSON boolean; say so where it is the likely cause.
    static func booleanHint(_ op: FieldOperator, _ values: [JSONValue]) -> String {
        let wanted: [JSONValue]
        switch op {
        case .equals(let v), .notEquals(let v): wanted = [v]
        case .isIn(let v), .notIn(let v): wanted = v
        default: return ""
        }
        guard let text = wanted.lazy.compactMap(\.stringValue).first(where: { $0 == "true" || $0 == "false" }),
              values.contains(where: { if case .bool = $0 { return true } else { return false } })
        else { return "" }
        return " (the rule has the string \"\(text)\" and the event a boolean: write \(text) without quotes)"
    }
}
