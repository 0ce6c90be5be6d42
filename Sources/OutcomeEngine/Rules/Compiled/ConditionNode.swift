/// A compiled condition. `RuleSet` turns each rule's `Condition` into a tree of these once,
/// so that deciding an event neither copies condition data nor looks phrases up by text.
protocol ConditionNode: AnyObject, Sendable {
    /// Whether the condition holds for the event, and why when `explain` is set.
    func evaluate(_ context: EvaluationContext, explain: Bool) -> Verdict
}

extension Condition {
    /// Compiles the condition, registering its phrases in `index`.
    func compile(phrases index: inout PhraseIndex) -> any ConditionNode {
        switch self {
        case .all(let conditions): return AllNode(conditions.map { $0.compile(phrases: &index) })
        case .any(let conditions): return AnyNode(conditions.map { $0.compile(phrases: &index) })
        case .not(let condition): return NotNode(condition.compile(phrases: &index))
        case .field(let path, let op): return FieldNode(path: path, op: op)
        case .transcript(let condition): return TranscriptNode(condition, phrases: &index)
        }
    }
}
