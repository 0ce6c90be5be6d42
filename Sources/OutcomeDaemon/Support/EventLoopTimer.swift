import NIOCore
import NIOPosix

/// A deadline on an event loop's timer instead of a task that sleeps: `Task.sleep`'s timer on
/// Linux goes through libdispatch's manager thread, a wake-up of its own for every timer set and
/// cancelled, and a task racing the work costs a task and a wake-up of its own. Store statements
/// set such a deadline a thousand times a second under load. The timer is a scheduled callback,
/// whose cancelling only takes it off the loop's heap.
enum EventLoopTimer {
    /// Runs `action` on an event loop at `deadline`, unless the callback returned is cancelled
    /// first; runs it at once if no timer can be set.
    static func call(at deadline: ContinuousClock.Instant, _ action: @escaping @Sendable () -> Void) -> NIOScheduledCallback? {
        // The singleton group never shuts down, so a timer set on it always fires.
        let loop = MultiThreadedEventLoopGroup.singleton.any()
        guard let callback = try? loop.scheduleCallback(in: TimeAmount(deadline - .now), handler: Action(run: action)) else {
            action()
            return nil
        }
        return callback
    }

    /// A scheduled callback that runs a closure.
    private struct Action: NIOScheduledCallbackHandler, Sendable {
        let run: @Sendable () -> Void

        func handleScheduledCallback(eventLoop: some EventLoop) {
            run()
        }
    }
}
