/// How much of a config file a command needs.
public enum ConfigLoadMode: Sendable {
    /// `test` and `explain`: the rules only; secrets, the API and the store are not needed.
    case rules
    /// `check`: everything, with secret files checked; an unset variable in a path is a warning.
    case check
    /// `serve`: everything, and every secret must be readable.
    case serve
}
