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

    /// The refusal for a timestamp outside the window, nil inside it.
    static func refusal(of timestamp: Int64, now: Int64, tolerance: Int64) -> AuthVerdict.Reason? {
        switch position(of: timestamp, now: now, tolerance: tolerance) {
        case .inside: return nil
        case .tooOld: return .staleTimestamp
        case .tooNew: return .futureTimestamp
        }
    }

    /// A timestamp written as ASCII digits only (no sign, space or fraction); nil past Int64.
    static func digits(_ text: some StringProtocol) -> Int64? {
        guard !text.isEmpty, text.utf8.allSatisfy({ $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }) else { return nil }
        return Int64(text)
    }
}
