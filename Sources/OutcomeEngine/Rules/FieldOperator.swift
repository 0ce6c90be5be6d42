/// The test a `field:` condition applies to the value at its path (SPEC §3).
public enum FieldOperator: Sendable, Hashable {
    case equals(JSONValue)
    case notEquals(JSONValue)
    case isIn([JSONValue])
    case notIn([JSONValue])
    case exists(Bool)
    case contains(JSONValue)
    case matches(Pattern)
    case greaterThan(Double)
    case greaterThanOrEqual(Double)
    case lessThan(Double)
    case lessThanOrEqual(Double)

    /// The operator names as written in YAML.
    public static let names = ["equals", "not_equals", "in", "not_in", "exists", "contains", "matches", "gt", "gte", "lt", "lte"]

    /// Whether the operator holds for the values a path reached (none when it is missing).
    /// A negative operator is the negation of its positive twin, so a missing path satisfies it.
    public func holds(for values: [JSONValue]) -> Bool {
        values.contains(where: matchesPositive) != isNegative
    }

    /// The same, for a path without `*`, which reaches at most one value.
    public func holds(for value: JSONValue?) -> Bool {
        (value.map(matchesPositive) ?? false) != isNegative
    }

    /// Whether this is `not_equals`, `not_in` or `exists: false`.
    var isNegative: Bool {
        switch self {
        case .notEquals, .notIn, .exists(false): return true
        default: return false
        }
    }

    /// Whether one value satisfies the operator's positive form (for negatives, their twin).
    func matchesPositive(_ value: JSONValue) -> Bool {
        switch self {
        case .equals(let expected), .notEquals(let expected): return Self.jsonEqual(value, expected)
        case .isIn(let options), .notIn(let options): return options.contains { Self.jsonEqual(value, $0) }
        case .exists: return value.isPresent
        case .contains(let needle): return Self.contains(value, needle)
        case .matches(let pattern): return value.stringValue.map(pattern.search) ?? false
        case .greaterThan(let n): return (value.numericValue ?? .nan) > n
        case .greaterThanOrEqual(let n): return (value.numericValue ?? .nan) >= n
        case .lessThan(let n): return (value.numericValue ?? .nan) < n
        case .lessThanOrEqual(let n): return (value.numericValue ?? .nan) <= n
        }
    }

    /// JSON equality, except that a number and a numeric string compare as numbers.
    public static func jsonEqual(_ a: JSONValue, _ b: JSONValue) -> Bool {
        switch (a, b) {
        case (.number(let x, _), .string), (.string, .number(let x, _)):
            let other = (a == .number(x) ? b : a)
            return other.numericValue == x
        default:
            return a == b
        }
    }

    static func contains(_ haystack: JSONValue, _ needle: JSONValue) -> Bool {
        switch haystack {
        case .string(let text):
            guard case .string(let part) = needle else { return text.lowercased().contains(needle.shortDescription.lowercased()) }
            return text.lowercased().contains(part.lowercased())
        case .array(let elements):
            return elements.contains { jsonEqual($0, needle) }
        default:
            return false
        }
    }

    /// A short rendering such as `equals true` or `in [a, b]`.
    public var summary: String {
        func list(_ values: [JSONValue]) -> String { "[" + values.map(\.shortDescription).joined(separator: ", ") + "]" }
        func number(_ n: Double) -> String { JSONValue.number(n).shortDescription }
        switch self {
        case .equals(let v): return "equals \(v.shortDescription)"
        case .notEquals(let v): return "not_equals \(v.shortDescription)"
        case .isIn(let v): return "in \(list(v))"
        case .notIn(let v): return "not_in \(list(v))"
        case .exists(let b): return "exists \(b)"
        case .contains(let v): return "contains \(v.shortDescription)"
        case .matches(let p): return "matches \(p)"
        case .greaterThan(let n): return "gt \(number(n))"
        case .greaterThanOrEqual(let n): return "gte \(number(n))"
        case .lessThan(let n): return "lt \(number(n))"
        case .lessThanOrEqual(let n): return "lte \(number(n))"
        }
    }
}
