/// The intake server's settings (`server:`).
public struct ServerConfig: Sendable, Hashable {
    /// Where to listen.
    public var listen: ListenAddress = .tcp(host: "127.0.0.1", port: 8787)
    /// The largest accepted body, in bytes.
    public var maxBody: Int = 1 << 20
    /// Sender authentication.
    public var auth = AuthConfig()

    /// The defaults.
    public init() {}
}
