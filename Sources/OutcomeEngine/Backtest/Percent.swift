/// Shares as the reports print them.
enum Percent {
    /// `12.5%`; `0%` of nothing.
    static func format(_ part: Int, of whole: Int) -> String {
        guard whole > 0 else { return "0%" }
        return format(Double(part) / Double(whole))
    }

    /// A fraction from 0 to 1 as a percentage with one decimal, without a trailing `.0`.
    static func format(_ fraction: Double) -> String {
        let tenths = Int((fraction * 1000).rounded())
        return tenths % 10 == 0 ? "\(tenths / 10)%" : "\(tenths / 10).\(tenths % 10)%"
    }
}
