/// A store that cannot be opened or written, with the file and the reason.
public struct StoreError: Error, Sendable, CustomStringConvertible {
    /// The SQLite file.
    public var path: String
    /// What failed.
    public var reason: String

    /// Creates an error.
    public init(path: String, reason: String) {
        self.path = path
        self.reason = reason
    }

    public var description: String { "\(path): \(reason)" }
}
