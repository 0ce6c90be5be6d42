import Testing
@testable import OutcomeDaemon

struct TimestampWindowTests {
    static let now: Int64 = 1_795_532_591

    @Test(arguments: [
        (now, TimestampWindow.Position.inside),
        (now - 300, .inside),
        (now + 300, .inside),
        (now - 301, .tooOld),
        (now + 301, .tooNew),
        (0, .tooOld),
        (-1, .tooOld),
        (Int64.min, .tooOld),
        (Int64.min + 1, .tooOld),
        (Int64.max, .tooNew),
        (Int64.max - 1, .tooNew),
    ])
    func positionsAgainstNow(timestamp: Int64, expected: TimestampWindow.Position) {
        #expect(TimestampWindow.position(of: timestamp, now: Self.now, tolerance: 300) == expected)
    }

    @Test(arguments: [
        (Int64.max, Int64.min, TimestampWindow.Position.tooOld),
        (Int64.min, Int64.max, .tooNew),
        (Int64.min, Int64.min, .inside),
        (Int64.max, Int64.max, .inside),
        (Int64.min, Int64.min + 300, .inside),
        (Int64.max, Int64.max - 301, .tooOld),
        (-1, Int64.max, .tooNew),
    ])
    func extremeClocksNeverTrap(now: Int64, timestamp: Int64, expected: TimestampWindow.Position) {
        #expect(TimestampWindow.position(of: timestamp, now: now, tolerance: 300) == expected)
    }
}
