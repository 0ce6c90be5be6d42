/// A file a command was asked to write (`--junit`, `--html`) that could not be written.
public struct OutputFileError: Error, Sendable, CustomStringConvertible {
    /// The file.
    public var path: String
    /// What failed.
    public var reason: String

    /// Creates an error.
    public init(path: String, reason: String) {
        self.path = path
        self.reason = reason
    }

    public var description: String { "\(path): cannot write: \(reason)" }
}
