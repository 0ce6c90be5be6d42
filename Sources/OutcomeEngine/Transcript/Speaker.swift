/// Who said a turn of a call.
public enum Speaker: String, Sendable, Hashable, CaseIterable {
    case customer
    case agent
    case other

    /// Maps a platform's role name (`user`, `assistant`, `bot`, ...) to a speaker.
    public init(role: String) {
        switch role.lowercased() {
        case "user", "customer": self = .customer
        case "bot", "assistant", "agent": self = .agent
        default: self = .other
        }
    }

    /// Maps a plain-text line prefix (`User`, `AI`, ...) to a speaker, if it is one.
    public init?(prefix: some StringProtocol) {
        guard prefix.utf8.count <= 9 else { return nil }
        switch prefix.lowercased() {
        case "user", "customer", "human", "caller", "lead", "contact": self = .customer
        case "ai", "assistant", "bot", "agent": self = .agent
        default: return nil
        }
    }

    /// The same as `init(prefix:)` for UTF-8 bytes, without making a string when they are ASCII.
    init?(prefix bytes: UnsafeBufferPointer<UInt8>) {
        guard bytes.count <= 9 else { return nil }
        guard bytes.allSatisfy({ $0 < 0x80 }) else {
            self.init(prefix: String(decoding: bytes, as: UTF8.self))
            return
        }
        for (word, speaker) in Self.asciiPrefixes where word.count == bytes.count
            && zip(word, bytes).allSatisfy({ $0 == ((0x41...0x5A).contains($1) ? $1 | 0x20 : $1) })
        {
            self = speaker
            return
        }
        return nil
    }

    private static let asciiPrefixes: [([UInt8], Speaker)] = [
        ("user", .customer), ("customer", .customer), ("human", .customer), ("caller", .customer), ("lead", .customer),
        ("contact", .customer), ("ai", .agent), ("assistant", .agent), ("bot", .agent), ("agent", .agent),
    ].map { (Array($0.utf8), $1) }
}
