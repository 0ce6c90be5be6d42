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
    /// Phrases by first word, as ranges `firstStart[w]..<firstStart[w + 1]` of `byFirst`.
    private let firstStart: UnsafeMutableBufferPointer<Int32>
    private let byFirst: UnsafeMutableBufferPointer<Int32>
    /// Each phrase's words, as ranges `wordStart[p]..<wordStart[p + 1]` of `words`.
    private let wordStart: UnsafeMutableBufferPointer<Int32>
    private let words: UnsafeMutableBufferPointer<Int32>

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
        slots = Self.copy(table)
        slotMask = capacity - 1
        hashes = Self.copy(vocabulary.hashes)
        starts = Self.copy(vocabulary.starts)
        bytes = Self.copy(vocabulary.bytes.isEmpty ? [0] : vocabulary.bytes)
        negators = Self.copy(vocabulary.isNegator)
        var firsts = Array(repeating: [Int32](), count: vocabulary.count)
        var flat: [Int32] = []
        var wordOffsets: [Int32] = [0]
        for (phrase, ids) in index.phraseWords.enumerated() {
            if let first = ids.first { firsts[Int(first)].append(Int32(phrase)) }
            flat.append(contentsOf: ids)
            wordOffsets.append(Int32(flat.count))
        }
        var firstOffsets: [Int32] = [0]
        var grouped: [Int32] = []
        for list in firsts {
            grouped.append(contentsOf: list)
            firstOffsets.append(Int32(grouped.count))
        }
        firstStart = Self.copy(firstOffsets)
        byFirst = Self.copy(grouped.isEmpty ? [0] : grouped)
        wordStart = Self.copy(wordOffsets)
        words = Self.copy(flat.isEmpty ? [0] : flat)
    }

    deinit {
        slots.deallocate()
        hashes.deallocate()
        starts.deallocate()
        bytes.deallocate()
        negators.deallocate()
        firstStart.deallocate()
        byFirst.deallocate()
        wordStart.deallocate()
        words.deallocate()
    }

    private static func copy<T>(_ array: [T]) -> UnsafeMutableBufferPointer<T> {
        let buffer = UnsafeMutableBufferPointer<T>.allocate(capacity: array.count)
        _ = buffer.initialize(from: array)
        return buffer
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

    /// Tokenises `transcript` once and records where each phrase occurs, in one pass over its words.
    func analyze(_ transcript: Transcript) -> TranscriptAnalysis {
        let analysis = TranscriptAnalysis(phraseCount: phraseCount, turns: transcript.turns)
        guard phraseCount > 0 else { return analysis }
        var tokens: [Token] = []
        tokens.reserveCapacity(256)
        var clause: Int32 = 0
        let longest = maxWordLength
        for (turnIndex, turn) in transcript.turns.enumerated() where turn.speaker != .other {
            tokens.removeAll(keepingCapacity: true)
            var position: Int32 = 0
            Tokenizer.forEachWord(in: turn.text, clause: &clause) { word, hash, clause in
                defer { position += 1 }
                guard word.count <= longest else { return }
                let id = lookup(word, hash: hash)
                // Only known words are kept; positions keep phrases contiguous and negation windows exact.
                if id >= 0 { tokens.append(Token(word: id, clause: clause, position: position)) }
            }
            tokens.withUnsafeBufferPointer { scan($0, turn: Int32(turnIndex), speaker: turn.speaker, into: analysis) }
        }
        return analysis
    }

    private func scan(_ tokens: UnsafeBufferPointer<Token>, turn: Int32, speaker: Speaker, into analysis: TranscriptAnalysis) {
        let count = tokens.count
        let vocabularySize = firstStart.count - 1
        for start in 0..<count {
            let first = Int(tokens[start].word)
            guard first >= 0, first < vocabularySize else { continue }
            for candidate in Int(firstStart[first])..<Int(firstStart[first + 1]) {
                let phrase = Int(byFirst[candidate])
                let from = Int(wordStart[phrase]), to = Int(wordStart[phrase + 1])
                let length = to - from
                guard start + length <= count else { continue }
                let position = tokens[start].position
                var offset = 1
                while offset < length, tokens[start + offset].word == words[from + offset],
                      tokens[start + offset].position == position + Int32(offset) { offset += 1 }
                guard offset == length else { continue }
                analysis.record(phrase: phrase, speaker: speaker, turn: turn, negator: negator(before: start, in: tokens))
            }
        }
    }

    /// The negator among the 3 words before `start` in the same clause, if any.
    private func negator(before start: Int, in tokens: UnsafeBufferPointer<Token>) -> Int32? {
        let clause = tokens[start].clause
        let window = tokens[start].position - 3
        var index = start - 1
        while index >= 0, tokens[index].position >= window, tokens[index].clause == clause {
            let word = tokens[index].word
            if negators[Int(word)] { return word }
            index -= 1
        }
        return nil
    }
}
