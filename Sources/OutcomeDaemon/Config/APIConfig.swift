/// The upstream API's settings (`api:`).
public struct APIConfig: Sendable, Hashable {
    /// The base URL, such as `https://api.comm.com/api/v1`, without a trailing slash.
    public var baseURL: String
    /// Where the bearer token comes from.
    public var token: SecretSource
    /// Connect and total timeout of one PATCH.
    public var timeout: Duration = .seconds(10)
    /// PATCHes in flight at once.
    public var concurrency: Int = 4
    /// PATCHes started per second; 0 is unlimited.
    public var rateLimit: Double = 0

    /// Creates API settings with the defaults.
    public init(baseURL: String, token: SecretSource) {
        self.baseURL = baseURL
        self.token = token
    }
}
