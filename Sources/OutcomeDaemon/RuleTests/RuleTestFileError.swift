/// A rule test that names an event file outcomed cannot read: a runtime problem (exit 3), like
/// any unreadable event file, reported at the test's `event_file:` line.
public struct RuleTestFileError: Error, Sendable, Equatable, CustomStringConvertible {
    /// Where the test names the file.
    public var location: SourceLocation
    /// The test's name.
    public var test: String
    /// The file, as resolved against the test file's folder.
    public var path: String

    /// Creates an error.
    public init(location: SourceLocation, test: String, path: String) {
        self.location = location
        self.test = test
        self.path = path
    }

    public var description: String {
        "\(location): test \"\(test)\": \(path): cannot read the event file (missing or unreadable)"
    }
}
