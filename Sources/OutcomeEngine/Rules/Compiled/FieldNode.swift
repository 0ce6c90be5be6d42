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
        return Verdict(matched: matched, reason: "\(path) is \(found), \(matched ? "" : "not ")\(op.summary)")
    }
}
