/// A JSON value, as decoded from an event body or written in a rule.
public enum JSONValue: Sendable, Hashable {
    case null
    case bool(Bool)
    /// A number; `digits` keeps an integer's text when a `Double` cannot hold it exactly
    /// (16 digits or more), so an id like `9007199254740993` survives. Compared by value.
    case number(Double, digits: String? = nil)
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
        case .number(let d, _): return d
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

    /// The value as an identifier: a string as is, a whole number as its decimal digits
    /// (the sender's own digits when it wrote 16 or more); nil for anything else.
    public var identifierValue: String? {
        switch self {
        case .string(let s): return s.isEmpty ? nil : s
        case .number(_, let digits?): return digits
        case .number(let d, nil):
            guard d.isFinite, d == d.rounded(), abs(d) < 9_007_199_254_740_992 else { return nil }
            return String(Int64(d))
        default: return nil
        }
    }

    /// A short, human-readable rendering for explanations and error messages.
    public var shortDescription: String {
        switch self {
        case .null: return "null"
        case .bool(let b): return b ? "true" : "false"
        case .number(let d, _): return identifierValue ?? (d.isFinite ? "\(d)" : "number")
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

extension JSONValue {
    /// Numbers compare by value, whatever digits they were written with.
    public static func == (a: JSONValue, b: JSONValue) -> Bool {
        switch (a, b) {
        case (.null, .null): return true
        case (.bool(let x), .bool(let y)): return x == y
        case (.number(let x, _), .number(let y, _)): return x == y
        case (.string(let x), .string(let y)): return x == y
        case (.array(let x), .array(let y)): return x == y
        case (.object(let x), .object(let y)): return x == y
        default: return false
        }
    }

    /// Hashes consistently with `==`: a number by its value only.
    public func hash(into hasher: inout Hasher) {
        switch self {
        case .null: hasher.combine(0)
        case .bool(let b): hasher.combine(1); hasher.combine(b)
        case .number(let d, _): hasher.combine(2); hasher.combine(d)
        case .string(let s): hasher.combine(3); hasher.combine(s)
        case .array(let a): hasher.combine(4); hasher.combine(a)
        case .object(let o): hasher.combine(5); hasher.combine(o)
        }
    }
}
