/// What intake makes of a body: a call event to decide on, or a message that is deliberately ignored.
public enum Normalization: Sendable, Equatable {
    /// A call that ended, ready for the rules.
    case event(CallEvent)
    /// A message of a type that carries no outcome (a Vapi `status-update`, say); the text names it.
    case ignored(String)
}
