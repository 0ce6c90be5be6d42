/// `any: [...]`: at least one child holds; an empty list does not.
final class AnyNode: ConditionNode {
    let children: [any ConditionNode]

    init(_ children: [any ConditionNode]) {
        self.children = children
    }

    func evaluate(_ context: EvaluationContext, explain: Bool) -> Verdict {
        var reasons: [String] = []
        for child in children {
            let verdict = child.evaluate(context, explain: explain)
            if verdict.matched { return verdict }
            if explain { reasons.append(verdict.reason) }
        }
        return .no(explain ? (reasons.isEmpty ? "any: empty list" : "none held: " + reasons.joined(separator: "; ")) : "")
    }
}
