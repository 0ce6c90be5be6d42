/// `not: c`: the child does not hold.
final class NotNode: ConditionNode {
    let child: any ConditionNode

    init(_ child: any ConditionNode) {
        self.child = child
    }

    func evaluate(_ context: EvaluationContext, explain: Bool) -> Verdict {
        let verdict = child.evaluate(context, explain: explain)
        return Verdict(matched: !verdict.matched, reason: explain ? "not (\(verdict.reason))" : "")
    }
}
