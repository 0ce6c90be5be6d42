import Foundation

/// What to do after a PATCH attempt (SPEC §4). A pure value: time and randomness come in as arguments.
public struct RetryPolicy: Sendable, Hashable {
    /// How an attempt's answer is classified.
    public enum Classification: Sendable, Hashable {
        /// 2xx: the outcome is set.
        case success
        /// A network error, a timeout, 408, 425, 429 or 5xx: try again later.
        case retryable
        /// 401 or 403: the token is wrong for every job; pause delivery.
        case unauthorized
        /// Any other status: the request itself is wrong; retrying cannot help.
        case permanent
    }

    /// The longest `Retry-After` that is honoured.
    public static let retryAfterCap: Duration = .seconds(3600)

    /// The delay after the first failure.
    public var initialDelay: Duration
    /// The longest computed delay.
    public var maxDelay: Duration
    /// Attempts before a job is dead.
    public var maxAttempts: Int
    /// Age since the decision after which a job is dead.
    public var maxAge: Duration

    /// Creates a policy from the config's `queue.retry`.
    public init(_ config: RetryConfig) {
        initialDelay = config.initialDelay
        maxDelay = config.maxDelay
        maxAttempts = config.maxAttempts
        maxAge = config.maxAge
    }

    /// Classifies an answer: `status` is nil when no HTTP response arrived.
    public static func classify(status: Int?) -> Classification {
        guard let status else { return .retryable }
        switch status {
        case 200..<300: return .success
        case 401, 403: return .unauthorized
        case 408, 425, 429, 500..<600: return .retryable
        default: return .permanent
        }
    }

    /// The delay before attempt `attempts + 1`, after `attempts` charged failures:
    /// `min(maxDelay, initialDelay × 2^(attempts−1))` with ±20% jitter from `random` in `0..<1`;
    /// a longer `retryAfter` wins, capped at one hour.
    public func delay(afterAttempts attempts: Int, retryAfter: Duration?, random: Double) -> Duration {
        let exponent = min(max(attempts - 1, 0), 40)
        // In seconds as a Double: `initialDelay × 2^40` can pass what a Duration holds.
        let baseSeconds = min(maxDelay.seconds, initialDelay.seconds * Double(1 << exponent))
        let jitteredMilliseconds = baseSeconds * (0.8 + 0.4 * min(max(random, 0), 1)) * 1000
        let jittered = Duration.milliseconds(Int64(jitteredMilliseconds.rounded()))
        if let retryAfter, retryAfter > jittered {
            return max(jittered, min(retryAfter, Self.retryAfterCap))
        }
        return jittered
    }

    /// Whether a job that has now been charged `attempts` attempts, decided at `createdAt`, is dead
    /// at `now` (all in Unix milliseconds).
    public func isExhausted(attempts: Int, createdAt: Int64, now: Int64) -> Bool {
        attempts >= maxAttempts || now - createdAt >= maxAge.milliseconds
    }

    /// Parses a `Retry-After` value: delta seconds, or an HTTP date relative to `now`.
    public static func parseRetryAfter(_ value: String, now: Date) -> Duration? {
        let trimmed = value.trimmingCharacters(in: .whitespaces)
        if let seconds = Int(trimmed) { return seconds >= 0 ? .seconds(seconds) : nil }
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "GMT")
        formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss zzz"
        guard let date = formatter.date(from: trimmed) else { return nil }
        return .milliseconds(max(0, Int64(date.timeIntervalSince(now) * 1000)))
    }
}
