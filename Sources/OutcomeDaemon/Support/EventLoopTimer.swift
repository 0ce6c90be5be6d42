import NIOCore
import NIOPosix
import Synchronization

/// Sleeps on an event loop's timer instead of `Task.sleep`, whose timer on Linux goes through
/// libdispatch's manager thread: a wake-up of its own for every timer set and every timer
/// cancelled. Store statements race such a timer a thousand times a second under load. The
/// timer is a scheduled callback, whose cancelling only takes it off the loop's heap.
final class EventLoopTimer: Sendable, NIOScheduledCallbackHandler {
    private enum State {
        case idle
        case waiting(CheckedContinuation<Void, Never>, NIOScheduledCallback?)
        case ended
    }

    private let state = Mutex(State.idle)

    private init() {}

    /// Returns at `deadline` or when the task is cancelled, whichever comes first.
    static func sleep(until deadline: ContinuousClock.Instant) async {
        // The singleton group never shuts down, so a timer set on it always fires.
        let loop = MultiThreadedEventLoopGroup.singleton.any()
        let timer = EventLoopTimer()
        await withTaskCancellationHandler {
            await withCheckedContinuation { continuation in
                guard timer.wait(continuation) else { return continuation.resume() }
                guard let callback = try? loop.scheduleCallback(in: TimeAmount(deadline - .now), handler: timer) else {
                    return timer.end()
                }
                if !timer.keep(callback) { callback.cancel() }
            }
        } onCancel: {
            timer.end()
        }
    }

    func handleScheduledCallback(eventLoop: some EventLoop) {
        end()
    }

    private func wait(_ continuation: CheckedContinuation<Void, Never>) -> Bool {
        state.withLock { state in
            guard case .idle = state else { return false }
            state = .waiting(continuation, nil)
            return true
        }
    }

    /// Keeps the timer to cancel it if the wait ends first; false when it has ended already.
    private func keep(_ callback: NIOScheduledCallback) -> Bool {
        state.withLock { state in
            guard case .waiting(let continuation, nil) = state else { return false }
            state = .waiting(continuation, callback)
            return true
        }
    }

    private func end() {
        let ended = state.withLock { state -> (CheckedContinuation<Void, Never>, NIOScheduledCallback?)? in
            defer { state = .ended }
            guard case .waiting(let continuation, let callback) = state else { return nil }
            return (continuation, callback)
        }
        ended?.1?.cancel()
        ended?.0.resume()
    }
}
