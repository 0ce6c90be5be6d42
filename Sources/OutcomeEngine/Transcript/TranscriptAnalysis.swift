/// Where each phrase of a rule set occurs in one transcript, by speaker, and whether negated.
public final class TranscriptAnalysis: @unchecked Sendable {
    /// A phrase occurrence: the turn it is in and, if negated, the negator's word id.
    public struct Occurrence: Sendable, Equatable {
        /// The zero-based turn index.
        public var turn: Int32
        /// The negator that cancels this occurrence, if any.
        public var negator: Int32?
    }

    /// The turns that were analysed.
    public let turns: [Turn]
    /// First affirmed and first negated turn (and its negator) per phrase and speaker; -1 for none.
    private let firstAffirmed: UnsafeMutableBufferPointer<Int32>
    private let firstNegated: UnsafeMutableBufferPointer<Int32>
    private let negatorOfFirst: UnsafeMutableBufferPointer<Int32>

    init(phraseCount: Int, turns: [Turn]) {
        self.turns = turns
        let size = max(1, phraseCount * 2)
        firstAffirmed = .allocate(capacity: size)
        firstAffirmed.initialize(repeating: -1)
        firstNegated = .allocate(capacity: size)
        firstNegated.initialize(repeating: -1)
        negatorOfFirst = .allocate(capacity: size)
        negatorOfFirst.initialize(repeating: -1)
    }

    deinit {
        firstAffirmed.deallocate()
        firstNegated.deallocate()
        negatorOfFirst.deallocate()
    }

    @inline(__always)
    private static func slot(_ phrase: Int, _ speaker: Speaker) -> Int {
        phrase &* 2 &+ (speaker == .customer ? 0 : 1)
    }

    func record(phrase: Int, speaker: Speaker, turn: Int32, negator: Int32?) {
        let slot = Self.slot(phrase, speaker)
        if let negator {
            if firstNegated[slot] < 0 {
                firstNegated[slot] = turn
                negatorOfFirst[slot] = negator
            }
        } else if firstAffirmed[slot] < 0 {
            firstAffirmed[slot] = turn
        }
    }

    /// The first occurrence of `phrase` by one of `speakers` that counts: not negated, or any
    /// occurrence at all when `respectNegation` is false.
    public func occurrence(of phrase: Int, by speakers: SpeakerFilter, respectNegation: Bool) -> Occurrence? {
        var best: Occurrence?
        for slot in slots(phrase, speakers) {
            var turn = firstAffirmed[slot]
            var negator: Int32?
            if !respectNegation, firstNegated[slot] >= 0, turn < 0 || firstNegated[slot] < turn {
                turn = firstNegated[slot]
                negator = negatorOfFirst[slot]
            }
            if turn >= 0, turn < (best?.turn ?? .max) { best = Occurrence(turn: turn, negator: negator) }
        }
        return best
    }

    /// The first negated occurrence of `phrase` by one of `speakers`, for explanations.
    public func negatedOccurrence(of phrase: Int, by speakers: SpeakerFilter) -> Occurrence? {
        var best: Occurrence?
        for slot in slots(phrase, speakers) where firstNegated[slot] >= 0 && firstNegated[slot] < (best?.turn ?? .max) {
            best = Occurrence(turn: firstNegated[slot], negator: negatorOfFirst[slot])
        }
        return best
    }

    @inline(__always)
    private func slots(_ phrase: Int, _ speakers: SpeakerFilter) -> Range<Int> {
        switch speakers {
        case .customer: return phrase * 2 ..< phrase * 2 + 1
        case .agent: return phrase * 2 + 1 ..< phrase * 2 + 2
        case .any: return phrase * 2 ..< phrase * 2 + 2
        }
    }
}
