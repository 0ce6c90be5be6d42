/// The result of checking a request against `server.auth`: accepted, or why each configured
/// method refused it. It names methods and reasons only, never a secret or a signature.
public struct AuthVerdict: Sendable, Equatable, CustomStringConvertible {
    /// A sender authentication method, named as in `auth=` log values.
    public enum Method: String, Sendable {
        case bearer
        case sharedSecret = "shared_secret"
        case hmac
        case retell
        case vapiHMAC = "vapi_hmac"
    }

    /// Why a method refused the request.
    public enum Reason: String, Sendable {
        /// The method's header is absent.
        case missing
        /// The header is there but cannot be read: a wrong scheme, prefix or encoding, no timestamp.
        case malformed
        /// A token or shared secret that is not the configured one.
        case mismatch
        /// The signature does not match the body (and timestamp) under the configured key.
        case badSignature = "bad_signature"
        /// The timestamp is older than the allowed skew (a replay, or a slow clock).
        case staleTimestamp = "stale_timestamp"
        /// The timestamp is further ahead than the allowed skew.
        case futureTimestamp = "future_timestamp"
        /// The signature covers a timestamp, and its header is absent.
        case missingTimestamp = "missing_timestamp"
    }

    /// One method's refusal.
    public struct Failure: Sendable, Equatable {
        /// The method.
        public var method: Method
        /// Why it refused.
        public var reason: Reason

        /// Creates a refusal.
        public init(_ method: Method, _ reason: Reason) {
            self.method = method
            self.reason = reason
        }
    }

    /// Every configured method's refusal, in config order; empty when the request is accepted.
    public let failures: [Failure]

    /// A request that passed a method, or that no method was configured to check.
    public static let accepted = AuthVerdict(failures: [])

    /// Refused by these methods.
    public init(failures: [Failure]) {
        self.failures = failures
    }

    /// Whether the request may go on.
    public var isAccepted: Bool { failures.isEmpty }

    /// `bearer:missing,vapi_hmac:bad_signature`, for `auth=` in the `rejected` log line.
    public var description: String {
        failures.map { "\($0.method.rawValue):\($0.reason.rawValue)" }.joined(separator: ",")
    }
}
