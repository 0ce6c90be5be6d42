/// Whether a condition held, and (when explaining) why.
public struct Verdict: Sendable, Equatable {
    /// Whether it held.
    public var matched: Bool
    /// Why; empty unless an explanation was asked for.
    public var reason: String

    static func yes(_ reason: String) -> Verdict { Verdict(matched: true, reason: reason) }
    static func no(_ reason: String) -> Verdict { Verdict(matched: false, reason: reason) }
}
