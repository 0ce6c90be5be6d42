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
        switch self {
        case .equals(let expected): return values.contains { Self.jsonEqual($0, expected) }
        case .notEquals(let expected): return !FieldOperator.equals(expected).holds(for: values)
        case .isIn(let options): return values.contains { v in options.contains { Self.jsonEqual(v, $0) } }
        case .notIn(let options): return !FieldOperator.isIn(options).holds(for: values)
        case .exists(let wanted): return values.contains(where: \.isPresent) == wanted
        case .contains(let needle): return values.contains { Self.contains($0, needle) }
        case .matches(let pattern): return values.contains { $0.stringValue.map(pattern.search) ?? false }
        case .greaterThan(let n): return values.contains { ($0.numericValue ?? .nan) > n }
        case .greaterThanOrEqual(let n): return values.contains { ($0.numericValue ?? .nan) >= n }
        case .lessThan(let n): return values.contains { ($0.numericValue ?? .nan) < n }
        case .lessThanOrEqual(let n): return values.contains { ($0.numericValue ?? .nan) <= n }
        }
    }

    /// JSON equality, except that a number and a numeric string compare as numbers.
    public static func jsonEqual(_ a: JSONValue, _ b: JSONValue) -> Bool {
        switch (a, b) {
        case (.number(let x), .string), (.string, .number(let x)):
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
