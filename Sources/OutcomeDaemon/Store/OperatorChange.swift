/// What an operator's `queue retry` or `queue cancel` changed, and what it left alone and why.
public struct OperatorChange: Sendable, Equatable {
    /// The jobs changed.
    public var changed: [Int64] = []
    /// One line per job left alone.
    public var skipped: [String] = []
}
