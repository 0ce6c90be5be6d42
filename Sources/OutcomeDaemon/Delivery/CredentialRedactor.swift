/// Takes credentials out of an upstream's answer before any of it is stored or logged: an
/// upstream or proxy that echoes the request would otherwise put the token in `last_error`.
/// It replaces the API token wherever it appears, the value of any `Authorization` header
/// (`Name: value`, `"name": "value"` or `name=value`), and whatever follows `Bearer`.
struct CredentialRedactor: Sendable {
    static let placeholder = "[redacted]"
    static let placeholderBytes = Array(placeholder.utf8)
    static let authorization = Array("authorization".utf8)
    static let bearer = Array("bearer".utf8)
    private let secrets: [[UInt8]]

    /// `token` is the bearer token the request carried.
    init(token: String) {
        let escaped = token.replacingOccurrences(of: "/", with: #"\/"#)
        secrets = Set([token, escaped]).filter { !$0.isEmpty }.map { Array($0.utf8) }.sorted { $0.count > $1.count }
    }

    /// `body` with every credential replaced by `[redacted]`.
    func redact(_ body: [UInt8]) -> [UInt8] {
        var text = body
        for secret in secrets { text = Self.replacing(secret, in: text) }
        return Self.redactingCredentials(in: text)
    }

    static func replacing(_ secret: [UInt8], in text: [UInt8]) -> [UInt8] {
        guard text.count >= secret.count else { return text }
        var out: [UInt8] = []
        out.reserveCapacity(text.count)
        var index = 0
        while index < text.count {
            if text[index] == secret[0], index + secret.count <= text.count, text[index..<index + secret.count].elementsEqual(secret) {
                out += placeholderBytes
                index += secret.count
            } else {
                out.append(text[index])
                index += 1
            }
        }
        return out
    }

    /// Replaces `Authorization` values and `Bearer` credentials, matching the names in any case.
    static func redactingCredentials(in text: [UInt8]) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(text.count)
        var index = 0
        while index < text.count {
            let wordStart = isWordStart(text, at: index)
            if wordStart, hasPrefix(authorization, in: text, at: index), let value = headerValue(in: text, after: index + authorization.count) {
                out += text[index..<value.lowerBound] + placeholderBytes
                index = value.upperBound
            } else if wordStart, hasPrefix(bearer, in: text, at: index), let value = bearerValue(in: text, after: index + bearer.count) {
                out += text[index..<value.lowerBound] + placeholderBytes
                index = value.upperBound
            } else {
                out.append(text[index])
                index += 1
            }
        }
        return out
    }

    /// After a header name: optional closing quote, `:` or `=`, optional space and opening quote,
    /// then the value up to the end of its line, quote or parameter.
    static func headerValue(in text: [UInt8], after start: Int) -> Range<Int>? {
        var index = start
        if index < text.count, text[index] == UInt8(ascii: "\"") || text[index] == UInt8(ascii: "'") { index += 1 }
        while index < text.count, text[index] == UInt8(ascii: " ") { index += 1 }
        guard index < text.count, text[index] == UInt8(ascii: ":") || text[index] == UInt8(ascii: "=") else { return nil }
        index += 1
        while index < text.count, [UInt8(ascii: " "), UInt8(ascii: "\t"), UInt8(ascii: "\""), UInt8(ascii: "'")].contains(text[index]) { index += 1 }
        let end = text[index...].firstIndex { ends(headerValueAt: $0) } ?? text.count
        return value(index..<end, in: text)
    }

    /// After `Bearer`: at least one space, then the credential up to a space, quote or separator.
    static func bearerValue(in text: [UInt8], after start: Int) -> Range<Int>? {
        var index = start
        while index < text.count, text[index] == UInt8(ascii: " ") || text[index] == UInt8(ascii: "\t") { index += 1 }
        guard index > start else { return nil }
        let end = text[index...].firstIndex { ends(bearerValueAt: $0) } ?? text.count
        return value(index..<end, in: text)
    }

    /// A non-empty value that is not already the placeholder.
    static func value(_ range: Range<Int>, in text: [UInt8]) -> Range<Int>? {
        guard !range.isEmpty, !text[range].starts(with: placeholderBytes) else { return nil }
        return range
    }

    static func ends(headerValueAt byte: UInt8) -> Bool {
        "\"'\\\r\n&<".utf8.contains(byte)
    }

    static func ends(bearerValueAt byte: UInt8) -> Bool {
        " \t\"'\\\r\n,;&<>(){}[]".utf8.contains(byte)
    }

    static func hasPrefix(_ word: [UInt8], in text: [UInt8], at index: Int) -> Bool {
        guard index + word.count <= text.count else { return false }
        return zip(word, text[index..<index + word.count]).allSatisfy { $0 == lowercased($1) }
    }

    static func lowercased(_ byte: UInt8) -> UInt8 {
        (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(byte) ? byte + 32 : byte
    }

    /// Not after a letter, unless that letter ends an escape such as the `\n` of a JSON string.
    static func isWordStart(_ text: [UInt8], at index: Int) -> Bool {
        index == 0 || !isLetter(text[index - 1]) || (index >= 2 && text[index - 2] == UInt8(ascii: "\\"))
    }

    static func isLetter(_ byte: UInt8) -> Bool {
        (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(lowercased(byte))
    }
}
