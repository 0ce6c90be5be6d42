/// Where each phrase of a rule set occurs in one transcript, by speaker, and whether negated.
public struct TranscriptAnalysis: Sendable {
    /// A phrase occurrence: the turn it is in and, if negated, the negator's word id.
    public struct Occurrence: Sendable, Equatable {
        /// The zero-based turn index.
        public var turn: Int32
        /// The negator that cancels this occurrence, if any.
        public var negator: Int32?
    }

    /// The turns that were analysed.
    public let turns: [Turn]
    private var firstAffirmed: [Int32]
    private var firstNegated: [Occurrence?]

    init(phraseCount: Int, turns: [Turn]) {
        self.turns = turns
        firstAffirmed = Array(repeating: -1, count: phraseCount * 2)
        firstNegated = Array(repeating: nil, count: phraseCount * 2)
    }

    private static func slot(_ phrase: Int, _ speaker: Speaker) -> Int {
        phrase * 2 + (speaker == .customer ? 0 : 1)
    }

    mutating func record(phrase: Int, speaker: Speaker, turn: Int32, negator: Int32?) {
        let slot = Self.slot(phrase, speaker)
        if let negator {
            if firstNegated[slot] == nil { firstNegated[slot] = Occurrence(turn: turn, negator: negator) }
        } else if firstAffirmed[slot] < 0 {
            firstAffirmed[slot] = turn
        }
    }

    /// The first occurrence of `phrase` by one of `speakers` that counts: not negated, or any
    /// occurrence at all when `respectNegation` is false.
    public func occurrence(of phrase: Int, by speakers: SpeakerFilter, respectNegation: Bool) -> Occurrence? {
        var best: Occurrence?
        for speaker in speakers.speakers {
            let slot = Self.slot(phrase, speaker)
            var candidate: Occurrence?
            if firstAffirmed[slot] >= 0 { candidate = Occurrence(turn: firstAffirmed[slot], negator: nil) }
            if !respectNegation, let negated = firstNegated[slot], negated.turn < (candidate?.turn ?? .max) {
                candidate = negated
            }
            if let candidate, candidate.turn < (best?.turn ?? .max) { best = candidate }
        }
        return best
    }

    /// The first negated occurrence of `phrase` by one of `speakers`, for explanations.
    public func negatedOccurrence(of phrase: Int, by speakers: SpeakerFilter) -> Occurrence? {
        speakers.speakers.compactMap { firstNegated[Self.slot(phrase, $0)] }.min { $0.turn < $1.turn }
    }
}
