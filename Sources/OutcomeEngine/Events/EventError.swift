/// Why a parsed JSON body cannot be turned into a call event.
public enum EventError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The body is JSON but not an object.
    case notAnObject
    /// No shape's call id was found; the associated text says where it was looked for.
    case missingCallID(String)
    /// A call id is there but cannot name a call: control characters, too long, or not a whole number.
    case invalidCallID(String)

    public var description: String {
        switch self {
        case .notAnObject: return "body is not a JSON object"
        case .missingCallID(let detail): return "no call id: \(detail)"
        case .invalidCallID(let detail): return "unusable call id: \(detail)"
        }
    }
}
