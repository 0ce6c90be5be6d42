/// A compiled regular expression, kept with its source for explanations and equality.
// Regex is an immutable value; only its output type, AnyRegexOutput, is not marked Sendable.
public struct Pattern: @unchecked Sendable, Hashable, CustomStringConvertible {
    /// The expression as written.
    public let source: String
    private let regex: Regex<AnyRegexOutput>

    /// Compiles `source`; throws when it is not a valid expression.
    public init(_ source: String) throws {
        self.source = source
        self.regex = try Regex(source)
    }

    /// Whether the expression matches somewhere in `text`.
    public func search(_ text: String) -> Bool {
        (try? regex.firstMatch(in: text)) != nil
    }

    public var description: String { "/\(source)/" }

    public static func == (lhs: Pattern, rhs: Pattern) -> Bool { lhs.source == rhs.source }
    public func hash(into hasher: inout Hasher) { hasher.combine(source) }
}
