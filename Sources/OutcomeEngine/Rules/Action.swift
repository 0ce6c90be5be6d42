/// What a decision asks of the delivery queue.
public enum Action: String, Sendable, Hashable, Codable {
    /// A PATCH is queued.
    case queued
    /// The outcome is already the call's current one; nothing is sent.
    case unchanged
    /// No rule matched and there is no default; nothing is sent.
    case noMatch = "no_match"
}
