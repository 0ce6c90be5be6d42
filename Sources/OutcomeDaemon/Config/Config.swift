import OutcomeEngine

/// The whole config file (SPEC §3).
public struct Config: Sendable {
    /// The file it was read from.
    public var path: String
    /// Intake server settings.
    public var server: ServerConfig
    /// Upstream API settings; nil in a rules-only file.
    public var api: APIConfig?
    /// Queue settings.
    public var queue: QueueConfig
    /// The compiled rules.
    public var rules: RuleSet
    /// Allowed things worth telling the operator about.
    public var warnings: [ConfigWarning]

    /// A one-line summary, as `outcomed check` prints it.
    public var summary: String {
        let api = self.api.map { "api \($0.baseURL) (concurrency \($0.concurrency))" } ?? "no api section"
        let defaultOutcome = rules.defaultOutcome ?? "none"
        return "\(path): ok: \(rules.rules.count) rules, \(rules.outcomes.count) outcomes, default \(defaultOutcome), \(rules.phrases.count) phrases; listen \(server.listen); \(api); queue \(queue.path)"
    }
}
