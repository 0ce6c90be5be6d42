import NIOCore
import NIOPosix
import Synchronization

/// Sleeps on an event loop's timer instead of `Task.sleep`, whose timer on Linux goes through
/// libdispatch's manager thread: a wake-up of its own for every timer set and every timer
/// cancelled. Store statements race such a timer a thousand times a second under load.
final class EventLoopTimer: Sendable {
    private enum State {
        case idle
        case waiting(CheckedContinuation<Void, Never>, Scheduled<Void>?)
        case ended
    }

    private let state = Mutex(State.idle)

    private init() {}

    /// Returns at `deadline` or when the task is cancelled, whichever comes first.
    static func sleep(until deadline: ContinuousClock.Instant, on loop: any EventLoop = MultiThreadedEventLoopGroup.singleton.any()) async {
        let timer = EventLoopTimer()
        await withTaskCancellationHandler {
            await withCheckedContinuation { continuation in
                guard timer.wait(continuation) else { return continuation.resume() }
                let scheduled = loop.scheduleTask(deadline: .now() + TimeAmount(deadline - .now)) { timer.end() }
                timer.keep(scheduled)
            }
        } onCancel: {
            timer.end()
        }
    }

    private func wait(_ continuation: CheckedContinuation<Void, Never>) -> Bool {
        state.withLock { state in
            guard case .idle = state else { return false }
            state = .waiting(continuation, nil)
            return true
        }
    }

    /// Keeps the timer to cancel it if the wait ends first.
    private func keep(_ scheduled: Scheduled<Void>) {
        state.withLock { state in
            if case .waiting(let continuation, nil) = state { state = .waiting(continuation, scheduled) }
        }
    }

    private func end() {
        let continuation = state.withLock { state -> CheckedContinuation<Void, Never>? in
            defer { state = .ended }
            guard case .waiting(let continuation, let scheduled) = state else { return nil }
            scheduled?.cancel()
            return continuation
        }
        continuation?.resume()
    }
}
