/// The intake server's settings (`server:`).
public struct ServerConfig: Sendable, Hashable {
    /// Where to listen.
    public var listen: ListenAddress = .tcp(host: "127.0.0.1", port: 8787)
    /// The largest accepted body, in bytes.
    public var maxBody: Int = 1 << 20
    /// Sender authentication.
    public var auth = AuthConfig()
    /// How long a connection may stay open without a request in progress, and how long a
    /// request head may take to arrive.
    public var idleTimeout: Duration = .seconds(60)
    /// How long a request may take from its head to the end of its body.
    public var readTimeout: Duration = .seconds(10)
    /// Connections held open at once; more wait in the listen backlog until one closes.
    public var maxConnections: Int = 1024

    /// The defaults.
    public init() {}
}
