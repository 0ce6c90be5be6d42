/// Finds the phrases in one turn as its words arrive, and records each occurrence with the
/// negator among the 3 words before it in the same clause (SPEC §3).
struct TurnMatcher: WordSink {
    /// The automaton's tables, which the caller keeps alive while the matcher runs.
    let automaton: PhraseAutomaton.Tables
    let negators: UnsafeBufferPointer<Bool>
    /// The last words' ids (first half) and clauses (second half), by position modulo `mask + 1`.
    let ring: UnsafeMutableBufferPointer<Int32>
    let mask: Int
    let turn: Int32
    let speaker: Speaker
    let analysis: TranscriptAnalysis
    private var state: Int32 = 0
    private var position = 0

    init(
        automaton: PhraseAutomaton.Tables, negators: UnsafeBufferPointer<Bool>, ring: UnsafeMutableBufferPointer<Int32>, mask: Int,
        turn: Int32, speaker: Speaker, analysis: TranscriptAnalysis
    ) {
        self.automaton = automaton
        self.negators = negators
        self.ring = ring
        self.mask = mask
        self.turn = turn
        self.speaker = speaker
        self.analysis = analysis
    }

    /// Takes the turn's next word: its id (-1 for a word no phrase or negator has) and its clause.
    @inline(__always)
    mutating func feed(_ word: Int32, clause: Int32) {
        let slot = position & mask
        ring[slot] = word
        ring[mask + 1 + slot] = clause
        state = automaton.step(state, word)
        for index in automaton.outputRange(state) {
            let phrase = automaton.output(index)
            let start = position - Int(automaton.length(of: phrase)) + 1
            analysis.record(phrase: Int(phrase), speaker: speaker, turn: turn, negator: negator(before: start))
        }
        position += 1
    }

    private func negator(before start: Int) -> Int32? {
        let clause = ring[mask + 1 + (start & mask)]
        var index = start - 1
        while index >= 0, index >= start - 3 {
            let slot = index & mask
            guard ring[mask + 1 + slot] == clause else { return nil }
            let word = ring[slot]
            if word >= 0, negators[Int(word)] { return word }
            index -= 1
        }
        return nil
    }
}
