/// The result of one rule test.
public struct RuleTestResult: Sendable, Hashable {
    /// The test's name.
    public var name: String
    /// Whether it passed.
    public var passed: Bool
    /// `PASS name` or `FAIL name: expected X (rule Y), got Z (rule W)`.
    public var line: String
    /// The rules whose condition held for the test's event (not only the one chosen).
    public var matchedRules: [String] = []
}
