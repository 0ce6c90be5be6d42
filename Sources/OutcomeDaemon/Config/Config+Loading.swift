import Foundation
import OutcomeEngine
import Yams

extension Config {
    static let topLevelKeys = ["server", "api", "queue", "outcomes", "default_outcome", "rules"]

    /// Reads and validates the config file at `path`.
    public static func load(
        path: String,
        mode: ConfigLoadMode,
        environment: [String: String] = ProcessInfo.processInfo.environment
    ) throws(ConfigError) -> Config {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw ConfigError(SourceLocation(file: path, line: 0, column: 0), "cannot read the config file (missing or unreadable)")
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw ConfigError(SourceLocation(file: path, line: 1, column: 1), "the config file is not UTF-8 text")
        }
        return try parse(yaml: text, file: path, mode: mode, environment: environment)
    }

    /// Validates config text; `file` names it in errors.
    public static func parse(
        yaml text: String,
        file: String,
        mode: ConfigLoadMode,
        environment: [String: String] = [:]
    ) throws(ConfigError) -> Config {
        let reader = YAMLReader(file: file)
        let root = try composeYAML(text, file: file)
        guard let root, !reader.isNull(root) else {
            throw ConfigError(SourceLocation(file: file, line: 1, column: 1), "the config file is empty")
        }
        let top = try reader.mapping(root, "the config", allowed: topLevelKeys)
        var warnings: [ConfigWarning] = []

        let rules = try RuleSet(yaml: top, reader: reader)
        var server = ServerConfig()
        if let node = top["server"] { server = try ServerConfig(yaml: node, reader: reader) }
        var queue = QueueConfig()
        if let node = top["queue"] { queue = try QueueConfig(yaml: node, reader: reader) }
        var api: APIConfig?
        if let node = top["api"] { api = try APIConfig(yaml: node, reader: reader) }

        if mode != .rules {
            guard let api else { throw reader.error(root, "missing \"api\" section: base_url and token_file or token_env are needed") }
            for secret in [api.token] + server.auth.secrets + [queue.postgres?.url].compactMap({ $0 }) {
                switch secret.check(environment: environment) {
                case .ok:
                    if secret == queue.postgres?.url {
                        let text = try secret.resolve(environment: environment)
                        do throws(PostgresURLError) { _ = try PostgresURL(text) } catch {
                            throw ConfigError(secret.location, "\(secret.key): \(error)")
                        }
                    }
                case .invalid(let message): throw ConfigError(secret.location, "\(secret.key): \(message)")
                case .unset(let variable):
                    if mode == .serve {
                        throw ConfigError(secret.location, "\(secret.key): \(variable) is unset, and serve cannot run without this secret; set it in the environment serve starts with (the unit's Environment= or LoadCredential=)")
                    }
                    warnings.append(ConfigWarning(secret.location, "\(secret.key): not checked: \(variable) is unset"))
                }
            }
        }
        return Config(path: file, server: server, api: api, queue: queue, rules: rules, warnings: reader.warnings.entries + warnings)
    }
}
