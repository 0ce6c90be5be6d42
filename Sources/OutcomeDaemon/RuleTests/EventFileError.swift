/// Why an event file or inline event could not be used.
public enum EventFileError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The file could not be read.
    case unreadable(path: String)
    /// The content is not an acceptable event; the text says why.
    case invalid(source: String, reason: String)

    public var description: String {
        switch self {
        case .unreadable(let path): return "\(path): cannot read the event file (missing or unreadable)"
        case .invalid(let source, let reason): return "\(source): \(reason)"
        }
    }
}
