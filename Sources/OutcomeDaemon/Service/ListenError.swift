/// The intake listen address cannot be used: the socket path is taken or is not a socket.
public struct ListenError: Error, Sendable, CustomStringConvertible {
    /// The address as configured.
    public var address: String
    /// What is wrong with it.
    public var reason: String

    /// Creates an error.
    public init(address: String, reason: String) {
        self.address = address
        self.reason = reason
    }

    public var description: String { "server.listen \(address): \(reason)" }
}
