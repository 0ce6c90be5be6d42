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
}
