/// `transcript: {...}`, with its phrases resolved to ids in the rule set's phrase table.
final class TranscriptNode: ConditionNode {
    let condition: TranscriptCondition
    let anyIDs: [Int]?
    let allIDs: [Int]?
    let noneIDs: [Int]?

    init(_ condition: TranscriptCondition, phrases index: inout PhraseIndex) {
        func register(_ phrases: [Phrase]?) -> [Phrase]? {
            phrases?.map { phrase in
                var phrase = phrase
                phrase.id = index.register(phrase.words)
                return phrase
            }
        }
        var registered = condition
        registered.any = register(condition.any)
        registered.all = register(condition.all)
        registered.none = register(condition.none)
        self.condition = registered
        anyIDs = registered.any?.map(\.id)
        allIDs = registered.all?.map(\.id)
        noneIDs = registered.none?.map(\.id)
    }

    func evaluate(_ context: EvaluationContext, explain: Bool) -> Verdict {
        if explain { return condition.explain(in: context) }
        let speaker = condition.speaker
        let respect = condition.respectNegation
        if let anyIDs {
            let analysis = context.analysis
            guard anyIDs.contains(where: { analysis.occurrence(of: $0, by: speaker, respectNegation: respect) != nil }) else { return .no("") }
        }
        if let allIDs {
            let analysis = context.analysis
            guard allIDs.allSatisfy({ analysis.occurrence(of: $0, by: speaker, respectNegation: respect) != nil }) else { return .no("") }
        }
        if let noneIDs {
            let analysis = context.analysis
            guard !noneIDs.contains(where: { analysis.occurrence(of: $0, by: speaker, respectNegation: respect) != nil }) else { return .no("") }
        }
        if let matches = condition.matches {
            guard context.event.transcript.turns.contains(where: { speaker.admits($0.speaker) && matches.search($0.text) }) else { return .no("") }
        }
        if let minTurns = condition.minTurns {
            var count = 0
            for turn in context.event.transcript.turns where speaker.admits(turn.speaker) { count += 1 }
            guard count >= minTurns else { return .no("") }
        }
        return .yes("")
    }
}
