/// One speaker's uninterrupted stretch of a call.
public struct Turn: Sendable, Hashable {
    /// Who spoke.
    public var speaker: Speaker
    /// What was said, as the platform wrote it.
    public var text: String

    /// Creates a turn.
    public init(speaker: Speaker, text: String) {
        self.speaker = speaker
        self.text = text
    }
}
