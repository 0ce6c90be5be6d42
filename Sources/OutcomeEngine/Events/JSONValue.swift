/// A JSON value, as decoded from an event body or written in a rule.
public enum JSONValue: Sendable, Hashable {
    case null
    case bool(Bool)
    case number(Double)
    case string(String)
    case array([JSONValue])
    case object([String: JSONValue])

    /// The value's string, if it is a string.
    public var stringValue: String? {
        if case .string(let s) = self { return s }
        return nil
    }

    /// The value's members, if it is an object.
    public var objectValue: [String: JSONValue]? {
        if case .object(let o) = self { return o }
        return nil
    }

    /// The value's elements, if it is an array.
    public var arrayValue: [JSONValue]? {
        if case .array(let a) = self { return a }
        return nil
    }

    /// The member named `key`, if this is an object that has it.
    public subscript(key: String) -> JSONValue? {
        if case .object(let o) = self { return o[key] }
        return nil
    }

    /// The value as a number: a number, or a string that parses as one.
    public var numericValue: Double? {
        switch self {
        case .number(let d): return d
        case .string(let s):
            if let value = Double(s) { return value }
            let trimmed = s.trimmingSpaces()
            guard !trimmed.isEmpty else { return nil }
            return Double(trimmed)
        default: return nil
        }
    }

    /// Whether the value exists in the sense of the `exists` operator: not null and not `""`.
    public var isPresent: Bool {
        switch self {
        case .null: return false
        case .string(let s): return !s.isEmpty
        default: return true
        }
    }

    /// The value as an identifier: a string as is, an integral number as its decimal digits.
    public var identifierValue: String? {
        switch self {
        case .string(let s): return s.isEmpty ? nil : s
        case .number(let d):
            guard d.isFinite else { return nil }
            if d == d.rounded(), abs(d) < 9_007_199_254_740_992 { return String(Int64(d)) }
            return String(d)
        default: return nil
        }
    }

    /// A short, human-readable rendering for explanations and error messages.
    public var shortDescription: String {
        switch self {
        case .null: return "null"
        case .bool(let b): return b ? "true" : "false"
        case .number: return identifierValue ?? "number"
        case .string(let s):
            let clipped = s.count > 60 ? String(s.prefix(57)) + "..." : s
            return "\"" + clipped + "\""
        case .array(let a): return "[\(a.count) items]"
        case .object(let o): return "{\(o.count) keys}"
        }
    }
}

extension String {
    func trimmingSpaces() -> Substring {
        var s = Substring(self)
        while let f = s.first, f.isWhitespace { s.removeFirst() }
        while let l = s.last, l.isWhitespace { s.removeLast() }
        return s
    }
}
