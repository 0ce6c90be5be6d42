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
        for line in plainText.split(omittingEmptySubsequences: false, whereSeparator: { $0 == "\n" || $0 == "\r\n" || $0 == "\r" }) {
            if let colon = line.firstIndex(of: ":"),
               let speaker = Speaker(prefix: line[..<colon].trimmingCharacters(in: " \t"))
            {
                let body = line[line.index(after: colon)...].trimmingCharacters(in: " \t")
                turns.append(Turn(speaker: speaker, text: String(body)))
                continue
            }
            let body = line.trimmingCharacters(in: " \t")
            if body.isEmpty { continue }
            if turns.isEmpty {
                turns.append(Turn(speaker: .other, text: String(body)))
            } else {
                turns[turns.count - 1].text += "\n" + body
            }
        }
        self.turns = turns
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

extension Substring {
    func trimmingCharacters(in set: String) -> Substring {
        var s = self
        while let f = s.first, set.contains(f) { s.removeFirst() }
        while let l = s.last, set.contains(l) { s.removeLast() }
        return s
    }
}
