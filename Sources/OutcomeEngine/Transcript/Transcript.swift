/// The turns of a call, in order.
public struct Transcript: Sendable, Hashable {
    /// The turns, first spoken first.
    public var turns: [Turn]

    /// Creates a transcript from turns.
    public init(turns: [Turn] = []) {
        self.turns = turns
    }

    /// Parses a plain-text transcript with one speaker prefix per line (`User: ...`, `AI: ...`).
    /// A line without a known prefix continues the turn before it; text before any prefix is `other`.
    public init(plainText: String) {
        var turns: [Turn] = []
        func parse(_ bytes: UnsafeBufferPointer<UInt8>) {
            var lineStart = 0
            while lineStart <= bytes.count {
                var lineEnd = lineStart
                while lineEnd < bytes.count, bytes[lineEnd] != 0x0A, bytes[lineEnd] != 0x0D { lineEnd += 1 }
                Self.addLine(bytes, lineStart..<lineEnd, to: &turns)
                if lineEnd < bytes.count, bytes[lineEnd] == 0x0D, lineEnd + 1 < bytes.count, bytes[lineEnd + 1] == 0x0A { lineEnd += 1 }
                lineStart = lineEnd + 1
            }
        }
        if plainText.utf8.withContiguousStorageIfAvailable(parse) == nil {
            Array(plainText.utf8).withUnsafeBufferPointer(parse)
        }
        self.turns = turns
    }

    private static func addLine(_ bytes: UnsafeBufferPointer<UInt8>, _ range: Range<Int>, to turns: inout [Turn]) {
        let line = trimmed(bytes, range)
        guard !line.isEmpty else { return }
        if let colon = bytes[line].firstIndex(of: UInt8(ascii: ":")) {
            let prefix = trimmed(bytes, line.lowerBound..<colon)
            if prefix.count <= 9, let speaker = Speaker(prefix: UnsafeBufferPointer(rebasing: bytes[prefix])) {
                let body = trimmed(bytes, (colon + 1)..<line.upperBound)
                turns.append(Turn(speaker: speaker, text: String(decoding: UnsafeBufferPointer(rebasing: bytes[body]), as: UTF8.self)))
                return
            }
        }
        let text = String(decoding: UnsafeBufferPointer(rebasing: bytes[line]), as: UTF8.self)
        if turns.isEmpty {
            turns.append(Turn(speaker: .other, text: text))
        } else {
            turns[turns.count - 1].text += "\n" + text
        }
    }

    private static func trimmed(_ bytes: UnsafeBufferPointer<UInt8>, _ range: Range<Int>) -> Range<Int> {
        var lower = range.lowerBound, upper = range.upperBound
        while lower < upper, bytes[lower] == 0x20 || bytes[lower] == 0x09 { lower += 1 }
        while upper > lower, bytes[upper - 1] == 0x20 || bytes[upper - 1] == 0x09 { upper -= 1 }
        return lower..<upper
    }

    /// Builds a transcript from role-tagged messages such as `[{"role":"user","message":"..."}]`.
    /// Text is read from `message`, `content` or `text`; a message with no text is skipped.
    public init(messages: [JSONValue]) {
        var turns: [Turn] = []
        for message in messages {
            guard case .object(let fields) = message else { continue }
            let role = fields["role"]?.stringValue ?? ""
            guard let text = fields["message"]?.stringValue ?? fields["content"]?.stringValue ?? fields["text"]?.stringValue else {
                continue
            }
            turns.append(Turn(speaker: Speaker(role: role), text: text))
        }
        self.turns = turns
    }
}
