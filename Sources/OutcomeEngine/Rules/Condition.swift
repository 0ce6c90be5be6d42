/// A rule's `when:`: one condition of SPEC §3's forms.
public indirect enum Condition: Sendable, Hashable {
    /// Every condition holds (an empty list holds).
    case all([Condition])
    /// At least one condition holds (an empty list does not).
    case any([Condition])
    /// The condition does not hold.
    case not(Condition)
    /// The operator holds for the value at the path.
    case field(FieldPath, FieldOperator)
    /// A condition on the transcript.
    case transcript(TranscriptCondition)

    func evaluate(in context: EvaluationContext, explain: Bool) -> Verdict {
        switch self {
        case .all(let conditions):
            var reasons: [String] = []
            for condition in conditions {
                let verdict = condition.evaluate(in: context, explain: explain)
                guard verdict.matched else { return verdict }
                if explain { reasons.append(verdict.reason) }
            }
            return .yes(explain ? (reasons.isEmpty ? "all: empty list" : reasons.joined(separator: " and ")) : "")
        case .any(let conditions):
            var reasons: [String] = []
            for condition in conditions {
                let verdict = condition.evaluate(in: context, explain: explain)
                if verdict.matched { return verdict }
                if explain { reasons.append(verdict.reason) }
            }
            return .no(explain ? (reasons.isEmpty ? "any: empty list" : "none held: " + reasons.joined(separator: "; ")) : "")
        case .not(let condition):
            let verdict = condition.evaluate(in: context, explain: explain)
            return Verdict(matched: !verdict.matched, reason: explain ? "not (\(verdict.reason))" : "")
        case .field(let path, let op):
            let values = path.values(in: context.event.call)
            let matched = op.holds(for: values)
            guard explain else { return Verdict(matched: matched, reason: "") }
            let found: String
            switch values.count {
            case 0: found = "missing"
            case 1: found = values[0].shortDescription
            default: found = "[" + values.map(\.shortDescription).joined(separator: ", ") + "]"
            }
            return Verdict(matched: matched, reason: "\(path) is \(found), \(matched ? "" : "not ")\(op.summary)")
        case .transcript(let condition):
            return condition.evaluate(in: context, explain: explain)
        }
    }

    /// The same condition with every phrase given its id in `index`.
    func registeringPhrases(in index: inout PhraseIndex) -> Condition {
        switch self {
        case .all(let conditions): return .all(conditions.map { $0.registeringPhrases(in: &index) })
        case .any(let conditions): return .any(conditions.map { $0.registeringPhrases(in: &index) })
        case .not(let condition): return .not(condition.registeringPhrases(in: &index))
        case .field: return self
        case .transcript(var condition):
            func register(_ phrases: [Phrase]?) -> [Phrase]? {
                phrases?.map { phrase in
                    var phrase = phrase
                    phrase.id = index.register(phrase.words)
                    return phrase
                }
            }
            condition.any = register(condition.any)
            condition.all = register(condition.all)
            condition.none = register(condition.none)
            return .transcript(condition)
        }
    }
}
