import Logging

/// What `outcomed serve` was asked for on its command line.
public struct ServeOptions: Sendable {
    /// The config file.
    public var configPath: String
    /// Decide and queue, but log `would_patch` instead of sending.
    public var dryRun: Bool
    /// The log line format.
    public var logFormat: LogFormat
    /// The lowest level logged.
    public var logLevel: Logger.Level

    /// Creates options.
    public init(configPath: String, dryRun: Bool, logFormat: LogFormat, logLevel: Logger.Level) {
        self.configPath = configPath
        self.dryRun = dryRun
        self.logFormat = logFormat
        self.logLevel = logLevel
    }
}
