/// Every phrase of a rule set, compiled so that a transcript is tokenised once and all
/// phrases are found in a single pass over its words.
public struct PhraseIndex: Sendable {
    /// The interned words.
    public private(set) var vocabulary = Vocabulary()
    /// Each phrase's word ids, by phrase id.
    private(set) var phraseWords: [[Int32]] = []
    /// The phrases whose first word is a given word id.
    private(set) var startingWith: [[Int32]] = []
    private var idsByWords: [[String]: Int] = [:]

    /// Creates an empty index.
    public init() {}

    /// How many distinct phrases it holds.
    public var count: Int { phraseWords.count }

    /// The id of a phrase with these folded words, adding it if it is new.
    public mutating func register(_ words: [String]) -> Int {
        if let id = idsByWords[words] { return id }
        let ids = words.map { vocabulary.intern($0) }
        let id = phraseWords.count
        phraseWords.append(ids)
        idsByWords[words] = id
        if startingWith.count < vocabulary.count {
            startingWith.append(contentsOf: Array(repeating: [], count: vocabulary.count - startingWith.count))
        }
        if let first = ids.first { startingWith[Int(first)].append(Int32(id)) }
        return id
    }

    /// Tokenises `transcript` and records where each phrase occurs.
    public func analyze(_ transcript: Transcript) -> TranscriptAnalysis {
        var analysis = TranscriptAnalysis(phraseCount: phraseWords.count, turns: transcript.turns)
        guard !phraseWords.isEmpty else { return analysis }
        var tokens: [Token] = []
        tokens.reserveCapacity(256)
        var clause: Int32 = 0
        for (turnIndex, turn) in transcript.turns.enumerated() where turn.speaker != .other {
            tokens.removeAll(keepingCapacity: true)
            Tokenizer.forEachWord(in: turn.text, clause: &clause) { bytes, hash, clause in
                tokens.append(Token(word: vocabulary.lookup(bytes, hash: hash) ?? -1, clause: clause))
            }
            scan(tokens, turn: Int32(turnIndex), speaker: turn.speaker, into: &analysis)
        }
        return analysis
    }

    private func scan(_ tokens: [Token], turn: Int32, speaker: Speaker, into analysis: inout TranscriptAnalysis) {
        let count = tokens.count
        for start in 0..<count {
            let first = tokens[start].word
            guard first >= 0, Int(first) < startingWith.count else { continue }
            for phrase in startingWith[Int(first)] {
                let words = phraseWords[Int(phrase)]
                guard start + words.count <= count else { continue }
                var index = 1
                while index < words.count, tokens[start + index].word == words[index] { index += 1 }
                guard index == words.count else { continue }
                analysis.record(
                    phrase: Int(phrase), speaker: speaker, turn: turn,
                    negator: negator(before: start, in: tokens)
                )
            }
        }
    }

    /// The negator among the 3 words before `start` in the same clause, if any.
    private func negator(before start: Int, in tokens: [Token]) -> Int32? {
        let clause = tokens[start].clause
        var index = start - 1
        while index >= 0, index >= start - 3, tokens[index].clause == clause {
            let word = tokens[index].word
            if word >= 0, vocabulary.isNegator[Int(word)] { return word }
            index -= 1
        }
        return nil
    }
}

struct Token {
    var word: Int32
    var clause: Int32
}
