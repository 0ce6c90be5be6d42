/// A dotted path into the call object: `a.b`, `logs.0.status`, `logs.*.status`.
public struct FieldPath: Sendable, Hashable, CustomStringConvertible {
    enum Segment: Sendable, Hashable {
        case key(String)
        case wildcard
    }

    /// The path as written.
    public let text: String
    let segments: [Segment]

    /// Parses a dotted path; nil when a segment is empty.
    public init?(_ text: String) {
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        guard !text.isEmpty, parts.allSatisfy({ !$0.isEmpty }) else { return nil }
        self.text = text
        self.segments = parts.map { $0 == "*" ? .wildcard : .key(String($0)) }
    }

    public var description: String { text }

    /// Whether the path has a `*` segment, and so may reach several values.
    public var hasWildcard: Bool { segments.contains(.wildcard) }

    /// The one value a path without `*` reaches, if any.
    public func value(in root: JSONValue) -> JSONValue? {
        var current = root
        for segment in segments {
            guard case .key(let key) = segment else { return nil }
            switch current {
            case .object(let members):
                guard let member = members[key] else { return nil }
                current = member
            case .array(let elements):
                guard let index = Int(key), elements.indices.contains(index) else { return nil }
                current = elements[index]
            default:
                return nil
            }
        }
        return current
    }

    /// Every value the path reaches in `root`; empty when it reaches none.
    public func values(in root: JSONValue) -> [JSONValue] {
        var current = [root]
        for segment in segments {
            var next: [JSONValue] = []
            for value in current {
                switch (segment, value) {
                case (.wildcard, .array(let elements)): next.append(contentsOf: elements)
                case (.wildcard, .object(let members)): next.append(contentsOf: members.values)
                case (.key(let key), .object(let members)):
                    if let member = members[key] { next.append(member) }
                case (.key(let key), .array(let elements)):
                    if let index = Int(key), elements.indices.contains(index) { next.append(elements[index]) }
                default: break
                }
            }
            if next.isEmpty { return [] }
            current = next
        }
        return current
    }
}
