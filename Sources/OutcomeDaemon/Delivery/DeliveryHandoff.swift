import Synchronization

/// Jobs that intake hands straight to this instance's delivery (`IntakeHandoff`): after each
/// round the worker offers the room left in its claim window, an intake commit reserves some of
/// it and puts that many of its new jobs in flight under this instance's lease, and the worker
/// sends them at its next round without claiming them from the store.
///
/// The worker owns the window: a round's claims leave room for everything intake holds (the
/// offer, the room commits still running reserved, and jobs handed over but not yet taken),
/// and the next offer is made only from room nobody holds. So intake and claims together stay
/// within it, while commits take room during the worker's rounds too.
public final class DeliveryHandoff: IntakeHandoffTarget {
    private struct State {
        var offered = 0
        var leaseMillis: Int64 = 0
        var reserved = 0
        var arrived: [Job] = []
        var releases = false
        var closed = false
    }

    private let state = Mutex(State())
    private let wake: @Sendable () -> Void
    /// The instance that holds the leases of handed-off jobs.
    public let owner: String

    /// Creates a handoff with nothing offered; `wake` starts the worker's next round.
    init(owner: String, wake: @escaping @Sendable () -> Void) {
        self.owner = owner
        self.wake = wake
    }

    /// The worker's offer after a round: `room` jobs may go in flight besides those it counts
    /// already, each under a lease of `leaseMillis`; `releases` says whether a delivered job's
    /// room is offered again before the next round (`release()`).
    func offer(_ room: Int, leaseMillis: Int64, releases: Bool) {
        state.withLock { state in
            guard !state.closed else { return }
            state.offered = max(0, room - state.reserved - state.arrived.count)
            state.leaseMillis = leaseMillis
            state.releases = releases
        }
    }

    /// How many jobs intake may still hand over: the offer, the room reserved by commits still
    /// running, and jobs handed over but not yet taken. A round's claims leave room for them.
    var outstanding: Int {
        state.withLock { $0.offered + $0.reserved + $0.arrived.count }
    }

    /// Offers nothing more, for good (shutdown): the worker then waits until `isQuiet`.
    func close() {
        state.withLock { state in
            state.closed = true
            state.offered = 0
        }
    }

    /// Whether no commit holds room and every job handed over has been taken.
    var isQuiet: Bool {
        state.withLock { $0.reserved == 0 && $0.arrived.isEmpty }
    }

    /// The room offered now, not yet reserved.
    var offered: Int { state.withLock(\.offered) }

    /// Reserves room for up to `count` jobs of one commit; nil when none is offered.
    public func reserve(upTo count: Int) -> IntakeHandoff? {
        state.withLock { state in
            let taken = min(count, state.offered)
            guard taken > 0 else { return nil }
            state.offered -= taken
            state.reserved += taken
            return IntakeHandoff(owner: owner, limit: taken, leaseMillis: state.leaseMillis)
        }
    }

    /// The commit that reserved `room` ended, having put `jobs` in flight (none if it failed):
    /// they go to the worker, and the room they did not use back to the offer.
    public func finish(_ room: IntakeHandoff, handedOff jobs: [Job]) {
        state.withLock { state in
            state.reserved -= room.limit
            if !state.closed { state.offered += max(0, room.limit - jobs.count) }
            state.arrived += jobs
        }
        if !jobs.isEmpty { wake() }
    }

    /// A handed-over job was delivered: while the last offer allows it, its room goes back to
    /// the offer at once, not at the worker's next round, so the commit that starts meanwhile can
    /// use it. (The worker counts the job in flight until it records the result, so room and
    /// claims stay within its window.)
    func release() {
        state.withLock { state in
            if !state.closed, state.releases { state.offered += 1 }
        }
    }

    /// The jobs handed over since the last call, for the worker to send.
    func take() -> [Job] {
        state.withLock { state in
            defer { state.arrived.removeAll() }
            return state.arrived
        }
    }
}
