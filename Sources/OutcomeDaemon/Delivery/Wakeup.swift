import NIOCore
import NIOPosix
import Synchronization

/// Wakes a waiting loop early: a new job was queued, an attempt finished, or shutdown began.
/// A signal sent while nobody waits is kept for the next wait. One task waits at a time (the
/// delivery loop): a second waiter would replace the first.
///
/// The delivery loop waits twice or more per event, so a wait is made cheap: it parks one
/// continuation, and its timeout is a task on an event loop, not a sleeping child task. A
/// timer already set to fire by a wait's deadline serves that wait too; one that fires before
/// the waiter's deadline sets the next, so a wait never ends early on a timer.
final class Wakeup: Sendable {
    private struct State: ~Copyable {
        var waiter: (continuation: CheckedContinuation<Void, Never>, deadline: NIODeadline)?
        var pending = false
        /// When the timers set and not yet fired are due.
        var timers: [NIODeadline] = []
    }

    private let state = Mutex(State())
    /// The singleton group never shuts down, so a timer set on it always fires.
    private let timerLoop = MultiThreadedEventLoopGroup.singleton.any()

    /// The timers set and not yet fired (for tests).
    var timersSet: Int { state.withLock { $0.timers.count } }

    func signal() {
        let waiter = state.withLock { state -> CheckedContinuation<Void, Never>? in
            guard let waiter = state.waiter else {
                state.pending = true
                return nil
            }
            state.waiter = nil
            return waiter.continuation
        }
        waiter?.resume()
    }

    /// Returns at a signal, after `timeout`, or when the task is cancelled.
    func wait(timeout: Duration) async {
        let deadline = NIODeadline.now() + TimeAmount(timeout)
        await withTaskCancellationHandler {
            await withCheckedContinuation { continuation in
                let (resumeNow, setTimer) = state.withLock { state -> (Bool, Bool) in
                    if state.pending || Task.isCancelled {
                        state.pending = false
                        return (true, false)
                    }
                    state.waiter = (continuation, deadline)
                    return (false, Self.needsTimer(until: deadline, &state))
                }
                if resumeNow { continuation.resume() }
                if setTimer { schedule(deadline) }
            }
        } onCancel: {
            let waiter = state.withLock { state -> CheckedContinuation<Void, Never>? in
                defer { state.waiter = nil }
                return state.waiter?.continuation
            }
            waiter?.resume()
        }
    }

    /// Whether a new timer is needed for `deadline`, recording it if so.
    private static func needsTimer(until deadline: NIODeadline, _ state: inout State) -> Bool {
        guard !state.timers.contains(where: { $0 <= deadline }) else { return false }
        state.timers.append(deadline)
        return true
    }

    private func schedule(_ deadline: NIODeadline) {
        timerLoop.scheduleTask(deadline: deadline) { self.fired(deadline) }
    }

    /// A timer fired: the waiter's time has come, or a timer is set for its later deadline.
    private func fired(_ deadline: NIODeadline) {
        let now = NIODeadline.now()
        let (due, next) = state.withLock { state -> (CheckedContinuation<Void, Never>?, NIODeadline?) in
            if let index = state.timers.firstIndex(of: deadline) { state.timers.remove(at: index) }
            guard let waiter = state.waiter else { return (nil, nil) }
            if waiter.deadline <= now {
                state.waiter = nil
                return (waiter.continuation, nil)
            }
            return (nil, Self.needsTimer(until: waiter.deadline, &state) ? waiter.deadline : nil)
        }
        due?.resume()
        if let next { schedule(next) }
    }
}
