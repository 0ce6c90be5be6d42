/// A request that got no HTTP answer: DNS, connect, TLS, reset or timeout (libcurl's code and text).
public struct TransportError: Error, Sendable, Hashable, CustomStringConvertible {
    /// libcurl's `CURLcode`.
    public var code: Int
    /// libcurl's explanation.
    public var message: String
    /// Whether the request timed out.
    public var isTimeout: Bool

    public var description: String { "\(isTimeout ? "timeout" : "network error"): \(message) (curl \(code))" }
}
