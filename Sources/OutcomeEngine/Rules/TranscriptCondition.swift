/// A `transcript:` condition (SPEC §3): every key that is given must hold.
public struct TranscriptCondition: Sendable, Hashable {
    /// Whose turns are read.
    public var speaker: SpeakerFilter
    /// At least one of these occurs.
    public var any: [Phrase]?
    /// Every one of these occurs.
    public var all: [Phrase]?
    /// None of these occurs.
    public var none: [Phrase]?
    /// An expression searched in each selected turn's raw text.
    public var matches: Pattern?
    /// Whether negated occurrences are discounted.
    public var respectNegation: Bool
    /// The least number of turns by the selected speaker.
    public var minTurns: Int?

    /// Creates a transcript condition.
    public init(
        speaker: SpeakerFilter = .any,
        any: [Phrase]? = nil,
        all: [Phrase]? = nil,
        none: [Phrase]? = nil,
        matches: Pattern? = nil,
        respectNegation: Bool = true,
        minTurns: Int? = nil
    ) {
        self.speaker = speaker
        self.any = any
        self.all = all
        self.none = none
        self.matches = matches
        self.respectNegation = respectNegation
        self.minTurns = minTurns
    }

    /// The verdict with its reasons; `TranscriptNode` holds the fast path.
    func explain(in context: EvaluationContext) -> Verdict {
        var notes: [String] = []
        let who = speaker == .any ? "" : "\(speaker.rawValue) "
        if let any {
            let hit = any.lazy.compactMap { phrase in self.occurrence(phrase, context).map { (phrase, $0) } }.first
            guard let (phrase, occurrence) = hit else {
                return .no("no \(who)turn says any of \(list(any))\(negationNotes(any, context))")
            }
            notes.append("\(who)said \(phrase) in turn \(occurrence.turn + 1)\(turnQuote(occurrence, context))")
        }
        if let all {
            for phrase in all {
                guard let occurrence = occurrence(phrase, context) else {
                    return .no("no \(who)turn says \(phrase)\(negationNotes([phrase], context))")
                }
                notes.append("\(who)said \(phrase) in turn \(occurrence.turn + 1)")
            }
        }
        if let none {
            for phrase in none {
                if let occurrence = occurrence(phrase, context) {
                    return .no("\(phrase) occurs in turn \(occurrence.turn + 1)\(turnQuote(occurrence, context))")
                }
            }
            notes.append("no \(who)turn says any of \(list(none))")
        }
        if let matches {
            let turn = context.event.transcript.turns.firstIndex { speaker.admits($0.speaker) && matches.search($0.text) }
            guard let turn else { return .no("no \(who)turn matches \(matches)") }
            notes.append("\(matches) in turn \(turn + 1)")
        }
        if let minTurns {
            let count = context.event.transcript.turns.reduce(0) { $0 + (speaker.admits($1.speaker) ? 1 : 0) }
            guard count >= minTurns else { return .no("\(count) \(who)turns, fewer than \(minTurns)") }
            notes.append("\(count) \(who)turns >= \(minTurns)")
        }
        return .yes(notes.joined(separator: "; "))
    }

    private func occurrence(_ phrase: Phrase, _ context: EvaluationContext) -> TranscriptAnalysis.Occurrence? {
        context.analysis.occurrence(of: phrase.id, by: speaker, respectNegation: respectNegation)
    }

    private func list(_ phrases: [Phrase]) -> String {
        "[" + phrases.map(\.description).joined(separator: ", ") + "]"
    }

    private func turnQuote(_ occurrence: TranscriptAnalysis.Occurrence, _ context: EvaluationContext) -> String {
        let text = context.event.transcript.turns[Int(occurrence.turn)].text
        return ": " + JSONValue.string(text).shortDescription
    }

    private func negationNotes(_ phrases: [Phrase], _ context: EvaluationContext) -> String {
        guard respectNegation else { return "" }
        let notes = phrases.compactMap { phrase -> String? in
            guard let negated = context.analysis.negatedOccurrence(of: phrase.id, by: speaker),
                  let negator = negated.negator
            else { return nil }
            let word = context.phrases.vocabulary.word(negator)
            return "\(phrase) in turn \(negated.turn + 1) negated by \"\(word)\""
        }
        return notes.isEmpty ? "" : " (" + notes.joined(separator: "; ") + ")"
    }
}
