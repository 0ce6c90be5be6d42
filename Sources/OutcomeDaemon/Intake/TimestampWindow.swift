/// Where a sender's timestamp falls against the clock and the allowed skew. The timestamp comes
/// from the request, so every step is overflow-checked: no value can trap the process.
enum TimestampWindow {
    /// The timestamp's place relative to `now ± tolerance`.
    enum Position: Equatable {
        case inside
        case tooOld
        case tooNew
    }

    /// The position of `timestamp` against `now`, both in the same unit as `tolerance`.
    static func position(of timestamp: Int64, now: Int64, tolerance: Int64) -> Position {
        let (age, overflow) = now.subtractingReportingOverflow(timestamp)
        if overflow { return timestamp < now ? .tooOld : .tooNew }
        if age > tolerance { return .tooOld }
        if age < -tolerance { return .tooNew }
        return .inside
    }
}
