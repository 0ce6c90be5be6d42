/// What the upstream answered to one request.
public struct UpstreamResponse: Sendable, Hashable {
    /// The HTTP status.
    public var status: Int
    /// The `Retry-After` header, if present.
    public var retryAfter: String?
    /// The start of the body (at most the client's `maxBodyBytes`).
    public var body: [UInt8]
    /// How long the request took.
    public var duration: Duration
}
