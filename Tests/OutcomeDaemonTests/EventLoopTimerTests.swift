import Testing
@testable import OutcomeDaemon

/// The timer that bounds a PostgreSQL statement's wait for a connection.
@Suite(.timeLimit(.minutes(1)))
struct EventLoopTimerTests {
    @Test func aSleepLastsUntilItsDeadline() async {
        let started = ContinuousClock.now
        await EventLoopTimer.sleep(until: started + .milliseconds(150))
        #expect(ContinuousClock.now - started >= .milliseconds(150))
    }

    @Test func cancellingTheSleepingTaskEndsTheSleep() async throws {
        let started = ContinuousClock.now
        let task = Task { await EventLoopTimer.sleep(until: .now + .seconds(30)) }
        try await Task.sleep(for: .milliseconds(50))
        task.cancel()
        await task.value
        #expect(ContinuousClock.now - started < .seconds(10))
    }

    @Test func aSleepWhoseDeadlineHasPassedReturnsAtOnce() async {
        let started = ContinuousClock.now
        await EventLoopTimer.sleep(until: started - .seconds(1))
        #expect(ContinuousClock.now - started < .seconds(10))
    }
}
