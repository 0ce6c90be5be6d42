import Testing
@testable import OutcomeDaemon

/// The delivery loop's wake-up: a signal ends a wait at once, and a wait without one lasts its
/// whole timeout, also when a timer set for an earlier wait fires first.
@Suite(.timeLimit(.minutes(1)))
struct WakeupTests {
    @Test func aSignalSentBeforeTheWaitEndsItAtOnceWithoutATimer() async {
        let wakeup = Wakeup()
        wakeup.signal()
        let started = ContinuousClock.now
        await wakeup.wait(timeout: .seconds(30))
        #expect(ContinuousClock.now - started < .seconds(10))
        #expect(wakeup.timersSet == 0)
    }

    @Test func aSignalEndsAWaitEarly() async throws {
        let wakeup = Wakeup()
        let started = ContinuousClock.now
        try await Self.signalOnceParked(wakeup, timeout: .seconds(30))
        #expect(ContinuousClock.now - started < .seconds(10))
    }

    @Test func aWaitWithoutASignalLastsItsTimeout() async {
        let wakeup = Wakeup()
        let started = ContinuousClock.now
        await wakeup.wait(timeout: .milliseconds(200))
        #expect(ContinuousClock.now - started >= .milliseconds(200))
        #expect(wakeup.timersSet == 0, "the fired timer is gone")
    }

    /// The first wait's timer (1 s) still runs when the second waits 2 s: the second sets no
    /// timer of its own, and the first timer's firing does not end it early.
    @Test func aTimerSetForAnEarlierWaitDoesNotEndALaterOneEarly() async throws {
        let wakeup = Wakeup()
        try await Self.signalOnceParked(wakeup, timeout: .seconds(1))
        let started = ContinuousClock.now
        await wakeup.wait(timeout: .seconds(2))
        #expect(ContinuousClock.now - started >= .seconds(2))
    }

    /// A wait due before every timer set so far sets its own, rather than waiting for theirs.
    @Test func aShorterWaitAfterALongerOneEndsAtItsOwnTimeout() async throws {
        let wakeup = Wakeup()
        try await Self.signalOnceParked(wakeup, timeout: .seconds(20))
        let started = ContinuousClock.now
        await wakeup.wait(timeout: .milliseconds(100))
        let waited = ContinuousClock.now - started
        #expect(waited >= .milliseconds(100) && waited < .seconds(10), "waited \(waited)")
    }

    /// Waits on `wakeup` with `timeout`, and signals once the wait has parked (set its timer).
    static func signalOnceParked(_ wakeup: Wakeup, timeout: Duration) async throws {
        async let waited: Void = wakeup.wait(timeout: timeout)
        while wakeup.timersSet == 0 { try await Task.sleep(for: .milliseconds(5)) }
        wakeup.signal()
        await waited
    }

    @Test func cancellingTheWaitingTaskEndsTheWait() async throws {
        let wakeup = Wakeup()
        let started = ContinuousClock.now
        let task = Task { await wakeup.wait(timeout: .seconds(30)) }
        while wakeup.timersSet == 0 { try await Task.sleep(for: .milliseconds(5)) }
        task.cancel()
        await task.value
        #expect(ContinuousClock.now - started < .seconds(10))
    }
}
