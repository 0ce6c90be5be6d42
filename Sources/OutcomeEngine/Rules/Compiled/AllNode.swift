/// `all: [...]`: every child holds; an empty list holds.
final class AllNode: ConditionNode {
    let children: [any ConditionNode]

    init(_ children: [any ConditionNode]) {
        self.children = children
    }

    func evaluate(_ context: EvaluationContext, explain: Bool) -> Verdict {
        var reasons: [String] = []
        for child in children {
            let verdict = child.evaluate(context, explain: explain)
            guard verdict.matched else { return verdict }
            if explain { reasons.append(verdict.reason) }
        }
        return .yes(explain ? (reasons.isEmpty ? "all: empty list" : reasons.joined(separator: " and ")) : "")
    }
}
