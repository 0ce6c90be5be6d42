/// What a sender signs, as a template over `{timestamp}` and `{body}` (`server.auth.vapi_hmac.payload`).
public struct SignaturePayload: Sendable, Hashable, CustomStringConvertible {
    /// One piece of the signed bytes.
    public enum Part: Sendable, Hashable {
        /// Bytes written in the template itself, such as the `.` of `{timestamp}.{body}`.
        case text([UInt8])
        /// The timestamp header's value, as sent.
        case timestamp
        /// The raw request body.
        case body
    }

    /// The pieces, in order.
    public let parts: [Part]
    /// The template as written.
    public let template: String

    /// Vapi's default, `{timestamp}.{body}`.
    public static let standard = SignaturePayload(parts: [.timestamp, .text(Array(".".utf8)), .body], template: "{timestamp}.{body}")

    /// Whether the timestamp is signed (and so required and checked for skew).
    public var usesTimestamp: Bool { parts.contains(.timestamp) }

    public var description: String { template }

    /// Why a template cannot be used.
    public enum Problem: Error, Equatable {
        case noBody
        case unsupportedPlaceholder(String)
    }

    /// Parses a template; `{name}` of letters, digits, `-` and `_` is a placeholder, other text is literal.
    public static func parse(_ template: String) -> Result<SignaturePayload, Problem> {
        var parts: [Part] = []
        var literal: [UInt8] = []
        var rest = Substring(template)
        while let open = rest.firstIndex(of: "{") {
            literal += Array(rest[..<open].utf8)
            let afterOpen = rest[rest.index(after: open)...]
            let name = afterOpen.prefix { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-" || $0 == "_") }
            guard !name.isEmpty, afterOpen[name.endIndex...].first == "}" else {
                literal.append(UInt8(ascii: "{"))
                rest = afterOpen
                continue
            }
            switch name {
            case "timestamp", "body":
                if !literal.isEmpty { parts.append(.text(literal)) }
                literal = []
                parts.append(name == "body" ? .body : .timestamp)
            default:
                return .failure(.unsupportedPlaceholder(String(name)))
            }
            rest = afterOpen[afterOpen.index(after: name.endIndex)...]
        }
        literal += Array(rest.utf8)
        if !literal.isEmpty { parts.append(.text(literal)) }
        guard parts.contains(.body) else { return .failure(.noBody) }
        return .success(SignaturePayload(parts: parts, template: template))
    }
}
