import Synchronization
import Testing
@testable import OutcomeDaemon

/// The timer that bounds a PostgreSQL statement's wait for a connection.
@Suite(.timeLimit(.minutes(1)))
struct EventLoopTimerTests {
    @Test func theActionRunsAtItsDeadline() async {
        let started = ContinuousClock.now
        let ran = await Self.run(at: started + .milliseconds(150), cancelling: false)
        #expect(ran.map { $0 - started >= .milliseconds(150) } == true)
    }

    @Test func aCancelledCallbackNeverRuns() async throws {
        let ran = await Self.run(at: .now + .seconds(2), cancelling: true)
        #expect(ran == nil)
    }

    @Test func anActionWhoseDeadlineHasPassedRunsAtOnce() async {
        let started = ContinuousClock.now
        let ran = await Self.run(at: started - .seconds(1), cancelling: false)
        #expect(ran.map { $0 - started < .seconds(10) } == true)
    }

    /// When the action ran, if it ran within 500 ms past `deadline`; cancels it at once if asked.
    private static func run(at deadline: ContinuousClock.Instant, cancelling: Bool) async -> ContinuousClock.Instant? {
        let ranAt = Mutex<ContinuousClock.Instant?>(nil)
        let callback = EventLoopTimer.call(at: deadline) { ranAt.withLock { $0 = .now } }
        if cancelling { callback?.cancel() }
        try? await Task.sleep(until: max(deadline, .now) + .milliseconds(500))
        return ranAt.withLock { $0 }
    }
}
