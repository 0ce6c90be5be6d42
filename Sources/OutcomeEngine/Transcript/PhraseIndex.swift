/// Every phrase of a rule set, as word ids; `RuleSet` freezes it into a `PhraseTable`, so that
/// a transcript is tokenised once and all phrases are found in a single pass over its words.
public struct PhraseIndex: Sendable {
    /// The interned words.
    public private(set) var vocabulary = Vocabulary()
    /// Each phrase's word ids, by phrase id.
    private(set) var phraseWords: [[Int32]] = []
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
        return id
    }
}
