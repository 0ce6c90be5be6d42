/// A frozen, pointer-based copy of a `PhraseIndex` for the hot path: looking words up and
/// finding phrases touches no reference counts. Immutable after `init`; it owns its memory.
final class PhraseTable: @unchecked Sendable {
    let phraseCount: Int
    private let maxWordLength: Int
    private let slotMask: Int
    private let slots: UnsafeMutableBufferPointer<Int32>
    private let hashes: UnsafeMutableBufferPointer<UInt64>
    private let starts: UnsafeMutableBufferPointer<Int>
    private let bytes: UnsafeMutableBufferPointer<UInt8>
    private let negators: UnsafeMutableBufferPointer<Bool>
    private let automaton: PhraseAutomaton
    private let asciiWords: AsciiWords
    /// The negation window's ring of recent words: a power of two above the longest phrase plus the window.
    private let ringSize: Int

    init(_ index: PhraseIndex) {
        let vocabulary = index.vocabulary
        phraseCount = index.count
        maxWordLength = zip(vocabulary.starts.dropFirst(), vocabulary.starts).map { $0 - $1 }.max() ?? 0
        var capacity = 64
        while capacity < vocabulary.count * 2 { capacity *= 2 }
        var table = [Int32](repeating: -1, count: capacity)
        for (id, hash) in vocabulary.hashes.enumerated() {
            var slot = Int(truncatingIfNeeded: hash) & (capacity - 1)
            while table[slot] >= 0 { slot = (slot + 1) & (capacity - 1) }
            table[slot] = Int32(id)
        }
        slots = .copying(table)
        slotMask = capacity - 1
        hashes = .copying(vocabulary.hashes)
        starts = .copying(vocabulary.starts)
        bytes = .copying(vocabulary.bytes.isEmpty ? [0] : vocabulary.bytes)
        negators = .copying(vocabulary.isNegator)
        automaton = PhraseAutomaton(phrases: index.phraseWords, vocabularySize: vocabulary.count)
        asciiWords = AsciiWords(vocabulary)
        var ring = 4
        while ring < automaton.longestPhrase + 4 { ring *= 2 }
        ringSize = ring
    }

    deinit {
        slots.deallocate()
        hashes.deallocate()
        starts.deallocate()
        bytes.deallocate()
        negators.deallocate()
    }

    /// The id of a folded word, or -1.
    @inline(__always)
    func lookup(_ word: UnsafeBufferPointer<UInt8>, hash: UInt64) -> Int32 {
        var slot = Int(truncatingIfNeeded: hash) & slotMask
        while true {
            let id = slots[slot]
            if id < 0 { return -1 }
            if hashes[Int(id)] == hash {
                let start = starts[Int(id)]
                if starts[Int(id) + 1] - start == word.count {
                    var index = 0
                    while index < word.count, bytes[start + index] == word[index] { index += 1 }
                    if index == word.count { return id }
                }
            }
            slot = (slot + 1) & slotMask
        }
    }

    /// Tokenises `transcript` once and records where each phrase occurs, in one pass over its
    /// bytes: ASCII turns through `AsciiWords`, others through `Tokenizer`, and the words of
    /// both through `PhraseAutomaton`.
    func analyze(_ transcript: Transcript) -> TranscriptAnalysis {
        let analysis = TranscriptAnalysis(phraseCount: phraseCount, turns: transcript.turns)
        guard !automaton.isEmpty else { return analysis }
        var clause: Int32 = 0
        let ringSize = self.ringSize, longest = maxWordLength
        let scratch = UnsafeMutableBufferPointer<UInt8>.allocate(capacity: max(longest, 8))
        let ring = UnsafeMutableBufferPointer<Int32>.allocate(capacity: 2 * ringSize)
        defer {
            scratch.deallocate()
            ring.deallocate()
        }
        // Read once per transcript, not per turn: both are shared by every thread deciding.
        let tables = automaton.tables, asciiWords = asciiWords
        for (turnIndex, turn) in transcript.turns.enumerated() where turn.speaker != .other {
            var matcher = TurnMatcher(
                automaton: tables, negators: UnsafeBufferPointer(negators), ring: ring, mask: ringSize - 1,
                turn: Int32(turnIndex), speaker: turn.speaker, analysis: analysis
            )
            var text = turn.text
            text.makeContiguousUTF8()
            let ascii: Bool? = text.utf8.withContiguousStorageIfAvailable { bytes in
                guard Tokenizer.isASCII(bytes) else { return false }
                asciiWords.forEachWord(in: bytes, clause: &clause, scratch: scratch, long: { lookup($0, hash: Tokenizer.hash($0)) }, into: &matcher)
                return true
            }
            if ascii != true {
                Tokenizer.forEachWord(in: text, clause: &clause) { word, hash, clause in
                    matcher.feed(word.count <= longest ? lookup(word, hash: hash) : -1, clause: clause)
                }
            }
        }
        return analysis
    }
}
