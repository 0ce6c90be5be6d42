import Foundation
import OutcomeEngine

/// When an exported call happened, from the fields the platforms put it in, for the report's
/// "last match" (stored calls use the time they were received).
enum EventTime {
    static let fields = ["ended_at", "endedAt", "end_timestamp", "timestamp", "updated_at", "created_at", "createdAt"]

    /// Unix milliseconds, from the first of `fields` that holds a time; nil when none does.
    static func of(_ event: CallEvent) -> Int64? {
        for field in fields {
            guard let value = event.call[field] else { continue }
            if let number = value.numericValue, number.isFinite, number > 0 {
                return Int64(number > 100_000_000_000 ? number : number * 1000)
            }
            if let text = value.stringValue, let date = parse(text) {
                return Int64((date.timeIntervalSince1970 * 1000).rounded())
            }
        }
        return nil
    }

    static func parse(_ text: String) -> Date? {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        if let date = formatter.date(from: text) { return date }
        formatter.formatOptions = [.withInternetDateTime]
        return formatter.date(from: text)
    }
}
