/// Which turns a transcript condition reads. Turns by `other` (system, tool) are never read.
public enum SpeakerFilter: String, Sendable, Hashable, CaseIterable {
    case customer
    case agent
    case any

    /// Whether a turn by `speaker` is read.
    public func admits(_ speaker: Speaker) -> Bool {
        switch self {
        case .customer: return speaker == .customer
        case .agent: return speaker == .agent
        case .any: return speaker != .other
        }
    }
}
