/// The platform format an event body arrived in.
public enum EventShape: String, Sendable, Hashable {
    case commVoiceEnvelope = "commvoice-envelope"
    case commVoiceBare = "commvoice-bare"
    case vapi
    case retell
}
