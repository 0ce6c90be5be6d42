import Synchronization

/// Decides once whether an operation got its connection before its deadline: the work and the
/// deadline's timer race, and exactly one wins. Work that has started is never cancelled in the
/// middle of a transaction; work that has not gets no connection.
final class ConnectionGate: Sendable {
    private enum State {
        case waiting
        case started
        case timedOut
    }

    private let state = Mutex(State.waiting)

    /// Whether the work may start: false once the deadline has passed.
    func start() -> Bool { settle(.started) }

    /// Whether the deadline passed before the work started.
    func timeOut() -> Bool { settle(.timedOut) }

    /// Whether the deadline has passed before the work started (a `timeOut()` that succeeded).
    var timedOut: Bool {
        state.withLock { state in
            guard case .timedOut = state else { return false }
            return true
        }
    }

    private func settle(_ outcome: State) -> Bool {
        state.withLock { state in
            guard case .waiting = state else { return false }
            state = outcome
            return true
        }
    }
}
