/// Parses the config's durations (`500ms 10s 5m 2h 7d`) for other callers, such as the CLI.
public enum Durations {
    /// The duration, or nil when the text is not one.
    public static func parse(_ text: String) -> Duration? {
        YAMLReader.parseDuration(text)
    }
}
