import OutcomeEngine
import Yams

extension Condition {
    static let forms = ["all", "any", "not", "field", "transcript"]

    /// Decodes one condition mapping of SPEC §3's forms, including the `PATH: value` shorthands.
    init(yaml node: Node, reader: YAMLReader) throws(ConfigError) {
        let mapping = try reader.anyMapping(node, "a condition")
        guard let firstEntry = mapping.entries.first else {
            throw reader.error(node, "empty condition; use one of \(Self.forms.joined(separator: ", ")) or PATH: value")
        }
        let keywords = Self.forms + FieldOperator.names
        let forms = mapping.entries.filter { Self.forms.contains($0.key) }
        let operators = mapping.entries.filter { FieldOperator.names.contains($0.key) }
        let others = mapping.entries.filter { !keywords.contains($0.key) }

        if forms.isEmpty && operators.isEmpty {
            if mapping.entries.count == 1 {
                self = try Self.shorthand(firstEntry, reader: reader, keywords: keywords)
                return
            }
            if let typo = others.first(where: { Suggestion.closest(to: $0.key, in: keywords) != nil }) {
                throw reader.error(typo.keyNode, "unknown key \"\(typo.key)\" in a condition\(Suggestion.hint(for: typo.key, in: keywords))")
            }
            throw reader.error(
                mapping.entries[1].keyNode,
                "a condition has one form, but \"\(firstEntry.key)\" and \"\(mapping.entries[1].key)\" are two conditions; put them in a list under all: or any:"
            )
        }
        if let extra = others.first {
            if Suggestion.closest(to: extra.key, in: keywords) == nil, let first = forms.first ?? operators.first {
                throw reader.error(
                    extra.keyNode,
                    "a condition has one form, but \"\(first.key)\" and \"\(extra.key)\" are two conditions; put them in a list under all: or any:"
                )
            }
            throw reader.error(extra.keyNode, "unknown key \"\(extra.key)\" in a condition\(Suggestion.hint(for: extra.key, in: keywords))")
        }
        if forms.count > 1 {
            throw reader.error(forms[1].keyNode, "a condition has one form, but this one has \"\(forms[0].key)\" and \"\(forms[1].key)\"; nest them under all: or any:")
        }
        guard let form = forms.first else {
            throw reader.error(operators[0].keyNode, "operator \"\(operators[0].key)\" needs a field: PATH beside it")
        }
        if form.key != "field", let op = operators.first {
            throw reader.error(op.keyNode, "operator \"\(op.key)\" belongs to a field: condition, not to \(form.key):")
        }
        switch form.key {
        case "all", "any":
            var conditions: [Condition] = []
            for element in try reader.sequence(form.value, "\(form.key):") {
                conditions.append(try Condition(yaml: element, reader: reader))
            }
            self = form.key == "all" ? .all(conditions) : .any(conditions)
        case "not":
            self = .not(try Condition(yaml: form.value, reader: reader))
        case "transcript":
            self = .transcript(try TranscriptCondition(yaml: form.value, reader: reader))
        default:
            let pathText = try reader.nonEmptyString(form.value, "field:")
            guard let path = FieldPath(pathText) else {
                throw reader.error(form.value, "bad field path \"\(pathText)\"; use dotted names like call_outcome_logs.0.status")
            }
            guard let op = operators.first else {
                throw reader.error(form.keyNode, "field condition on \"\(pathText)\" has no operator; give one of \(FieldOperator.names.joined(separator: ", "))")
            }
            if operators.count > 1 {
                throw reader.error(operators[1].keyNode, "field condition on \"\(pathText)\" has two operators (\(operators[0].key), \(operators[1].key)); give exactly one")
            }
            self = .field(path, try FieldOperator(name: op.key, value: op.value, reader: reader))
        }
    }

    private static func shorthand(_ entry: YAMLMapping.Entry, reader: YAMLReader, keywords: [String]) throws(ConfigError) -> Condition {
        let hint = Suggestion.hint(for: entry.key, in: keywords)
        guard let path = FieldPath(entry.key) else {
            throw reader.error(entry.keyNode, "bad field path \"\(entry.key)\"\(hint)")
        }
        switch entry.value {
        case .scalar:
            return .field(path, .equals(try reader.json(entry.value)))
        case .sequence(let sequence):
            var options: [JSONValue] = []
            for element in sequence {
                guard case .scalar = element else {
                    throw reader.error(element, "the shorthand \(entry.key): [...] takes a list of scalars")
                }
                options.append(try reader.json(element))
            }
            return .field(path, .isIn(options))
        default:
            throw reader.error(entry.keyNode, "unknown condition \"\(entry.key)\"\(hint.isEmpty ? "; a shorthand PATH: value takes a scalar or a list" : hint)")
        }
    }
}

extension FieldOperator {
    init(name: String, value: Node, reader: YAMLReader) throws(ConfigError) {
        switch name {
        case "equals": self = .equals(try reader.json(value))
        case "not_equals": self = .notEquals(try reader.json(value))
        case "in": self = .isIn(try Self.list(value, name, reader))
        case "not_in": self = .notIn(try Self.list(value, name, reader))
        case "exists": self = .exists(try reader.bool(value, "exists:"))
        case "contains": self = .contains(try reader.json(value))
        case "matches": self = .matches(try Pattern(yaml: value, reader: reader))
        case "gt": self = .greaterThan(try reader.number(value, "gt:"))
        case "gte": self = .greaterThanOrEqual(try reader.number(value, "gte:"))
        case "lt": self = .lessThan(try reader.number(value, "lt:"))
        default: self = .lessThanOrEqual(try reader.number(value, "lte:"))
        }
    }

    private static func list(_ node: Node, _ name: String, _ reader: YAMLReader) throws(ConfigError) -> [JSONValue] {
        var values: [JSONValue] = []
        for element in try reader.sequence(node, "\(name):") { values.append(try reader.json(element)) }
        return values
    }
}

extension Pattern {
    init(yaml node: Node, reader: YAMLReader) throws(ConfigError) {
        let source = try reader.string(node, "matches:")
        do {
            try self.init(source)
        } catch {
            throw reader.error(node, "invalid regex \"\(source)\": \(error)")
        }
    }
}
