/// Something in a config file that is allowed but worth telling the operator.
public struct ConfigWarning: Sendable, Hashable, CustomStringConvertible {
    /// Where it is.
    public var location: SourceLocation
    /// What it is.
    public var message: String

    /// Creates a warning.
    public init(_ location: SourceLocation, _ message: String) {
        self.location = location
        self.message = message
    }

    /// `FILE:LINE:COLUMN: warning: message`.
    public var description: String { "\(location): warning: \(message)" }
}
