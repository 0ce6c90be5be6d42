/// A phrase that a transcript condition looks for, as written and as folded words.
public struct Phrase: Sendable, Hashable, CustomStringConvertible {
    /// The phrase as the operator wrote it.
    public var text: String
    /// Its folded words.
    public var words: [String]
    /// Its index in the rule set's phrase table; assigned when the rule set is built.
    public var id: Int

    /// Creates a phrase; an `id` is given to it by `RuleSet`.
    public init(_ text: String) {
        self.text = text
        self.words = Tokenizer.words(text)
        self.id = -1
    }

    public var description: String { "\"\(text)\"" }
}

extension Phrase: ExpressibleByStringLiteral {
    /// Creates a phrase from a literal.
    public init(stringLiteral value: String) {
        self.init(value)
    }
}
