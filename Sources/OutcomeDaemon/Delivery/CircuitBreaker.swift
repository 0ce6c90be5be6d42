/// Pauses delivery when the upstream keeps failing or refuses the token (SPEC §4).
/// A pure value: every method takes the time, in Unix milliseconds.
public struct CircuitBreaker: Sendable, Hashable {
    /// Why the circuit is open.
    public enum Reason: String, Sendable, Hashable {
        /// Consecutive retryable failures.
        case failures
        /// The upstream refused the token (401/403).
        case unauthorized
    }

    /// Whether a request may start now.
    public enum Permit: Sendable, Hashable {
        /// Full speed.
        case proceed
        /// Send exactly one request; its result decides whether the circuit closes.
        case probe
        /// Wait until this time (or, while a probe is out, until its result).
        case wait(until: Int64)
    }

    /// A change worth logging.
    public enum Transition: Sendable, Hashable {
        case opened(Reason, pause: Duration)
        case closed
    }

    enum State: Sendable, Hashable {
        case closed
        case open(until: Int64, pause: Duration, reason: Reason)
        case probing(pause: Duration, reason: Reason)
    }

    /// Failures in a row that open the circuit.
    public let threshold: Int
    /// The first pause.
    public let basePause: Duration
    /// The longest pause, and the probe interval while the token is refused.
    public let maxPause: Duration
    private(set) var state: State = .closed
    private var consecutiveFailures = 0

    /// Creates a closed breaker.
    public init(threshold: Int = 5, basePause: Duration = .seconds(5), maxPause: Duration) {
        self.threshold = threshold
        self.basePause = min(basePause, maxPause)
        self.maxPause = maxPause
    }

    /// Whether the circuit is open (or probing) now.
    public var isOpen: Bool {
        if case .closed = state { return false }
        return true
    }

    /// Why it is open, if it is.
    public var reason: Reason? {
        switch state {
        case .closed: return nil
        case .open(_, _, let reason), .probing(_, let reason): return reason
        }
    }

    /// Whether a request may start at `now`; call `startProbe()` once a probe is actually sent.
    public func permit(now: Int64) -> Permit {
        switch state {
        case .closed:
            return .proceed
        case .open(let until, _, _):
            return now >= until ? .probe : .wait(until: until)
        case .probing:
            return .wait(until: now + basePause.milliseconds)
        }
    }

    /// A probe was sent: no other request starts until its result is recorded.
    public mutating func startProbe() {
        if case .open(_, let pause, let reason) = state {
            state = .probing(pause: pause, reason: reason)
        }
    }

    /// The upstream answered (2xx, or a 4xx that says the request, not the service, is wrong).
    public mutating func recordSuccess() -> Transition? {
        consecutiveFailures = 0
        guard isOpen else { return nil }
        state = .closed
        return .closed
    }

    /// A retryable failure.
    public mutating func recordFailure(now: Int64) -> Transition? {
        switch state {
        case .closed:
            consecutiveFailures += 1
            guard consecutiveFailures >= threshold else { return nil }
            state = .open(until: now + basePause.milliseconds, pause: basePause, reason: .failures)
            return .opened(.failures, pause: basePause)
        case .probing(let pause, _):
            let next = min(pause * 2, maxPause)
            state = .open(until: now + next.milliseconds, pause: next, reason: .failures)
            return .opened(.failures, pause: next)
        case .open:
            return nil
        }
    }

    /// The token was refused: pause everything and probe once per `maxPause`.
    public mutating func recordUnauthorized(now: Int64) -> Transition? {
        let wasOpen = isOpen
        state = .open(until: now + maxPause.milliseconds, pause: maxPause, reason: .unauthorized)
        consecutiveFailures = 0
        return wasOpen && reason == .unauthorized ? nil : .opened(.unauthorized, pause: maxPause)
    }
}
