import OutcomeEngine
import Yams

/// Reads typed values out of YAML nodes, and reports problems at the node's file position.
struct YAMLReader {
    /// The file name used in every error.
    let file: String
    /// What decoding found allowed but worth saying; shared by every copy of the reader.
    let warnings = WarningLog()

    /// Collects warnings while a file is decoded on one thread.
    final class WarningLog {
        var entries: [ConfigWarning] = []
    }

    func warn(_ node: Node, _ message: String) {
        warnings.entries.append(ConfigWarning(location(node), message))
    }

    func location(_ node: Node) -> SourceLocation {
        SourceLocation(file: file, line: node.mark?.line ?? 1, column: node.mark?.column ?? 1)
    }

    func error(_ node: Node, _ message: String) -> ConfigError {
        ConfigError(location(node), message)
    }

    /// The node as a mapping whose keys are all in `allowed`; unknown keys get a suggestion.
    func mapping(_ node: Node, _ what: String, allowed: [String]) throws(ConfigError) -> YAMLMapping {
        let entries = try anyMapping(node, what)
        for entry in entries.entries where !allowed.contains(entry.key) {
            throw error(entry.keyNode, "unknown key \"\(entry.key)\" in \(what)\(Suggestion.hint(for: entry.key, in: allowed))")
        }
        return entries
    }

    /// The node as a mapping with any scalar keys; duplicate keys are errors.
    func anyMapping(_ node: Node, _ what: String) throws(ConfigError) -> YAMLMapping {
        guard case .mapping(let mapping) = node else {
            throw error(node, "\(what) must be a mapping, not \(kind(node))")
        }
        var entries: [YAMLMapping.Entry] = []
        for (keyNode, value) in mapping {
            guard case .scalar(let key) = keyNode else {
                throw error(keyNode, "keys in \(what) must be plain names")
            }
            if let first = entries.first(where: { $0.key == key.string }) {
                throw error(keyNode, "duplicate key \"\(key.string)\" in \(what) (first at line \(location(first.keyNode).line))")
            }
            entries.append(.init(key: key.string, keyNode: keyNode, value: value))
        }
        return YAMLMapping(node: node, entries: entries)
    }

    func sequence(_ node: Node, _ what: String) throws(ConfigError) -> [Node] {
        guard case .sequence(let sequence) = node else {
            throw error(node, "\(what) must be a list, not \(kind(node))")
        }
        return Array(sequence)
    }

    func isNull(_ node: Node) -> Bool {
        if case .scalar(let scalar) = node { return scalar.tagName == .null }
        return false
    }

    func string(_ node: Node, _ what: String) throws(ConfigError) -> String {
        guard case .scalar(let scalar) = node, scalar.tagName != .null else {
            throw error(node, "\(what) must be a string, not \(kind(node))")
        }
        return scalar.string
    }

    func nonEmptyString(_ node: Node, _ what: String) throws(ConfigError) -> String {
        let value = try string(node, what)
        guard !value.isEmpty else { throw error(node, "\(what) must not be empty") }
        return value
    }

    func strings(_ node: Node, _ what: String) throws(ConfigError) -> [String] {
        var values: [String] = []
        for element in try sequence(node, what) {
            values.append(try nonEmptyString(element, "each entry of \(what)"))
        }
        return values
    }

    func bool(_ node: Node, _ what: String) throws(ConfigError) -> Bool {
        guard case .scalar(let scalar) = node, scalar.tagName == .bool, let value = node.bool else {
            throw error(node, "\(what) must be true or false")
        }
        return value
    }

    func int(_ node: Node, _ what: String, min: Int = .min) throws(ConfigError) -> Int {
        guard case .scalar(let scalar) = node, scalar.tagName == .int, let value = node.int else {
            throw error(node, "\(what) must be a whole number")
        }
        guard value >= min else { throw error(node, "\(what) must be at least \(min)") }
        return value
    }

    func number(_ node: Node, _ what: String) throws(ConfigError) -> Double {
        guard case .scalar(let scalar) = node, scalar.tagName == .int || scalar.tagName == .float, let value = node.float else {
            throw error(node, "\(what) must be a number")
        }
        guard value.isFinite else { throw error(node, "\(what) must be a finite number") }
        return value
    }

    /// The element at `index` of a sequence node, for errors that point at one element.
    func sequenceElement(_ node: Node, _ index: Int) -> Node {
        if case .sequence(let sequence) = node, index < sequence.count { return Array(sequence)[index] }
        return node
    }

    /// A duration such as `500ms`, `10s`, `5m`, `2h` or `7d`, at most `maxDuration`.
    func duration(_ node: Node, _ what: String) throws(ConfigError) -> Duration {
        let text = try string(node, what)
        guard let value = Self.parseDuration(text) else {
            if Self.durationSeconds(text) != nil {
                throw error(node, "\(what): \(text) is out of range; the longest duration accepted is 3650d")
            }
            throw error(node, "\(what): bad duration \"\(text)\"; use a number and a unit: 500ms, 10s, 5m, 2h, 7d")
        }
        return value
    }

    /// A size such as `512KiB`, `1MiB` or a plain number of bytes.
    func size(_ node: Node, _ what: String) throws(ConfigError) -> Int {
        let text = try string(node, what)
        guard let value = Self.parseSize(text) else {
            throw error(node, "\(what): bad size \"\(text)\"; use a number and a unit: 512KiB, 1MiB, 1GiB, or bytes")
        }
        return value
    }

    /// The longest duration any setting takes: ten years, so that every sum and product of
    /// durations and Unix milliseconds stays far inside `Int64`.
    static let maxDuration: Duration = .seconds(3650 * 86400)

    static func parseDuration(_ text: String) -> Duration? {
        guard let seconds = durationSeconds(text), seconds <= maxDuration.seconds else { return nil }
        return .milliseconds(Int64((seconds * 1000).rounded()))
    }

    /// The seconds `text` names, unbounded, or nil when it is not a duration.
    static func durationSeconds(_ text: String) -> Double? {
        let units: [(String, Double)] = [("ms", 0.001), ("s", 1), ("m", 60), ("h", 3600), ("d", 86400)]
        for (suffix, seconds) in units where text.hasSuffix(suffix) {
            let number = text.dropLast(suffix.count)
            guard !number.isEmpty, number.allSatisfy({ $0.isASCII && ($0.isNumber || $0 == ".") }),
                  let value = Double(number), value >= 0, value.isFinite
            else { continue }
            return value * seconds
        }
        return nil
    }

    static func parseSize(_ text: String) -> Int? {
        let units: [(String, Int)] = [
            ("KiB", 1 << 10), ("MiB", 1 << 20), ("GiB", 1 << 30),
            ("KB", 1000), ("MB", 1_000_000), ("GB", 1_000_000_000), ("B", 1), ("", 1),
        ]
        for (suffix, factor) in units where text.hasSuffix(suffix) {
            let number = text.dropLast(suffix.count)
            guard !number.isEmpty, number.allSatisfy({ $0.isASCII && $0.isNumber }), let value = Int(number) else { continue }
            let (bytes, overflow) = value.multipliedReportingOverflow(by: factor)
            return overflow ? nil : bytes
        }
        return nil
    }

    /// A YAML value as JSON: plain scalars are typed (null, booleans, numbers), quoted ones are strings.
    func json(_ node: Node) throws(ConfigError) -> JSONValue {
        switch node {
        case .scalar(let scalar):
            switch scalar.tagName {
            case .null: return .null
            case .bool: return node.bool.map(JSONValue.bool) ?? .string(scalar.string)
            case .int, .float: return node.float.map { JSONValue.number($0) } ?? .string(scalar.string)
            default: return .string(scalar.string)
            }
        case .sequence(let sequence):
            var elements: [JSONValue] = []
            for element in sequence { elements.append(try json(element)) }
            return .array(elements)
        case .mapping:
            var members: [String: JSONValue] = [:]
            for entry in try anyMapping(node, "an event").entries { members[entry.key] = try json(entry.value) }
            return .object(members)
        case .alias:
            throw error(node, "aliases are not supported here")
        }
    }

    func kind(_ node: Node) -> String {
        switch node {
        case .scalar(let scalar): return scalar.tagName == .null ? "null" : "a scalar (\"\(scalar.string)\")"
        case .mapping: return "a mapping"
        case .sequence: return "a list"
        case .alias: return "an alias"
        }
    }
}

extension Node.Scalar {
    /// The resolved tag (`tag:yaml.org,2002:int`, ...), which tells a plain `12` from a quoted `"12"`.
    var tagName: Tag.Name { Tag.Name(rawValue: Node.scalar(self).tag.rawValue) }
}
