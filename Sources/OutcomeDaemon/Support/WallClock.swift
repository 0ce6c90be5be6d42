import Foundation

/// The one wall clock outcomed reads: job times, signature windows and reload times are all
/// Unix time from here. The pure parts (retry policy, breaker, token bucket) take `now` as an
/// argument instead, so their tests run on a fake clock.
public enum WallClock {
    /// Now, in Unix milliseconds.
    public static func milliseconds() -> Int64 {
        var now = timespec()
        clock_gettime(CLOCK_REALTIME, &now)
        return Int64(now.tv_sec) * 1000 + Int64(now.tv_nsec) / 1_000_000
    }

    /// Now, in Unix seconds.
    public static func seconds() -> Double {
        Double(milliseconds()) / 1000
    }
}
