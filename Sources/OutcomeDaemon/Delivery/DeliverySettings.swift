/// What the delivery worker needs from the config, with the token resolved.
public struct DeliverySettings: Sendable {
    /// The API base URL, without a trailing slash.
    public var baseURL: String
    /// The bearer token.
    public var token: String
    /// Connect and total time allowed for one PATCH.
    public var timeout: Duration
    /// PATCHes in flight at once.
    public var concurrency: Int
    /// PATCHes started per second; 0 is unlimited.
    public var rateLimit: Double
    /// Backoff, attempts and age limits.
    public var retry: RetryPolicy
    /// Log `would_patch` and mark done instead of sending.
    public var dryRun: Bool
    /// How long done jobs and events are kept.
    public var retention: Duration

    /// Creates settings.
    public init(baseURL: String, token: String, timeout: Duration, concurrency: Int, rateLimit: Double, retry: RetryPolicy, dryRun: Bool, retention: Duration) {
        self.baseURL = baseURL
        self.token = token
        self.timeout = timeout
        self.concurrency = concurrency
        self.rateLimit = rateLimit
        self.retry = retry
        self.dryRun = dryRun
        self.retention = retention
    }

    /// `{base}/webhooks/calls/{call, percent-encoded as one path segment}/change-outcome`.
    public func url(forCall callID: String) -> String {
        baseURL + "/webhooks/calls/" + Self.encodeSegment(callID) + "/change-outcome"
    }

    /// Percent-encodes everything but RFC 3986's unreserved characters, and the dots of a
    /// segment that is `.` or `..`, which URL normalisation (libcurl's included) would remove.
    public static func encodeSegment(_ text: String) -> String {
        if text == "." || text == ".." { return String(repeating: "%2E", count: text.count) }
        var out = ""
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "0")...UInt8(ascii: "9"),
                 UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "_"), UInt8(ascii: "~"):
                out.unicodeScalars.append(Unicode.Scalar(byte))
            default:
                let hex = String(byte, radix: 16, uppercase: true)
                out += "%" + (hex.count == 1 ? "0" + hex : hex)
            }
        }
        return out
    }
}
