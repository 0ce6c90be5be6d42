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

        let rules = try ruleSet(top, reader: reader)
        var server = ServerConfig()
        if let node = top["server"] { server = try serverConfig(node, reader: reader) }
        var queue = QueueConfig()
        if let node = top["queue"] { queue = try queueConfig(node, reader: reader) }
        var api: APIConfig?
        if let node = top["api"] { api = try apiConfig(node, reader: reader) }

        if mode != .rules {
            guard let api else { throw reader.error(root, "missing \"api\" section: base_url and token_file or token_env are needed") }
            for secret in [api.token] + server.auth.secrets {
                switch secret.check(environment: environment) {
                case .ok: break
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

    /// Most "not allowed" and "did not find expected" errors are a line indented one step off,
    /// and the parser notices only on the line after: name both.
    static func indentationHint(_ problem: String, line: Int, in text: String) -> String {
        guard problem.hasPrefix("mapping values are not allowed") || problem.hasPrefix("did not find expected") else { return "" }
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        guard line >= 2, line - 1 <= lines.count else { return "" }
        let above = lines[..<(line - 1)].lastIndex { !$0.allSatisfy(\.isWhitespace) && !$0.drop { $0 == " " }.hasPrefix("#") }
        guard let above else { return "" }
        return "; check the indentation of this line and of line \(above + 1) above it"
    }

    static func composeYAML(_ text: String, file: String) throws(ConfigError) -> Node? {
        do {
            return try Yams.compose(yaml: text)
        } catch let error as YamlError {
            switch error {
            case .scanner(let context, let problem, let mark, _), .parser(let context, let problem, let mark, _),
                 .composer(let context, let problem, let mark, _):
                let detail = context.map { "\(problem) (\($0.text) at line \($0.mark.line))" } ?? problem
                throw ConfigError(
                    SourceLocation(file: file, line: mark.line, column: mark.column),
                    "YAML syntax error: \(detail)\(indentationHint(problem, line: mark.line, in: text))"
                )
            case .duplicatedKeysInMapping(let duplicates, let context):
                let location = secondOccurrence(of: duplicates.first ?? "", in: text, file: file)
                    ?? SourceLocation(file: file, line: context.mark.line, column: context.mark.column)
                throw ConfigError(location, "duplicate key \"\(duplicates.joined(separator: ", "))\" in one mapping")
            default:
                throw ConfigError(SourceLocation(file: file, line: 1, column: 1), "YAML error: \(error)")
            }
        } catch {
            throw ConfigError(SourceLocation(file: file, line: 1, column: 1), "YAML error: \(error)")
        }
    }

    /// Where a key that the YAML parser reported as duplicated is written the second time.
    static func secondOccurrence(of key: String, in text: String, file: String) -> SourceLocation? {
        var seen = 0
        for (index, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let body = line.drop { $0 == " " || $0 == "-" }
            guard body.hasPrefix(key + ":") else { continue }
            seen += 1
            if seen == 2 { return SourceLocation(file: file, line: index + 1, column: line.count - body.count + 1) }
        }
        return nil
    }

    static func ruleSet(_ top: YAMLMapping, reader: YAMLReader) throws(ConfigError) -> RuleSet {
        guard let outcomesNode = top["outcomes"] else { throw reader.error(top.node, "missing \"outcomes\": the list of outcomes rules may set") }
        let outcomes = try reader.strings(outcomesNode, "outcomes")
        guard !outcomes.isEmpty else { throw reader.error(outcomesNode, "outcomes must list at least one outcome") }
        for (index, outcome) in outcomes.enumerated() where outcomes[..<index].contains(outcome) {
            throw reader.error(reader.sequenceElement(outcomesNode, index), "outcome \"\(outcome)\" is listed twice")
        }
        func checkOutcome(_ node: Node, _ what: String) throws(ConfigError) -> String {
            let outcome = try reader.nonEmptyString(node, what)
            guard outcomes.contains(outcome) else {
                throw reader.error(node, "outcome \"\(outcome)\" is not in outcomes [\(outcomes.joined(separator: ", "))]\(Suggestion.hint(for: outcome, in: outcomes))")
            }
            return outcome
        }
        var defaultOutcome: String?
        if let node = top["default_outcome"], !reader.isNull(node) { defaultOutcome = try checkOutcome(node, "default_outcome") }

        guard let rulesNode = top["rules"] else { throw reader.error(top.node, "missing \"rules\": the list of rules") }
        var rules: [Rule] = []
        var names: [String: Node] = [:]
        for (index, ruleNode) in try reader.sequence(rulesNode, "rules").enumerated() {
            let rule = try reader.mapping(ruleNode, "rule \(index + 1)", allowed: ["name", "outcome", "when", "description"])
            for key in ["name", "outcome", "when"] where !rule.has(key) {
                throw reader.error(ruleNode, "rule \(index + 1) is missing \"\(key)\"")
            }
            guard let nameNode = rule["name"], let outcomeNode = rule["outcome"], let whenNode = rule["when"] else { continue }
            let name = try reader.nonEmptyString(nameNode, "name")
            if let first = names[name] {
                throw reader.error(nameNode, "duplicate rule name \"\(name)\" (first at line \(reader.location(first).line))")
            }
            names[name] = nameNode
            if let descriptionNode = rule["description"] { _ = try reader.string(descriptionNode, "description") }
            let outcome = try checkOutcome(outcomeNode, "outcome")
            rules.append(Rule(name: name, outcome: outcome, when: try Condition(yaml: whenNode, reader: reader)))
        }
        return RuleSet(outcomes: outcomes, defaultOutcome: defaultOutcome, rules: rules)
    }

    static func secret(_ mapping: YAMLMapping, _ name: String, section: String, reader: YAMLReader) throws(ConfigError) -> SecretSource? {
        let fileKey = "\(name)_file", envKey = "\(name)_env"
        if mapping.has(fileKey), let other = mapping.keyNode(envKey) {
            throw reader.error(other, "give either \(fileKey) or \(envKey), not both")
        }
        if let node = mapping[fileKey] {
            let path = try reader.nonEmptyString(node, fileKey)
            return SecretSource(kind: .file(path), key: "\(section).\(fileKey)", location: reader.location(node))
        }
        if let node = mapping[envKey] {
            let variable = try reader.nonEmptyString(node, envKey)
            return SecretSource(kind: .environment(variable), key: "\(section).\(envKey)", location: reader.location(node))
        }
        return nil
    }

    static func rejectInlineSecrets(_ node: Node, _ names: [String], section: String, reader: YAMLReader) throws(ConfigError) {
        let mapping = try reader.anyMapping(node, section)
        for name in names {
            if let keyNode = mapping.keyNode(name) {
                throw reader.error(keyNode, "secrets are never written inline: use \(name)_file (a path) or \(name)_env (a variable name)")
            }
        }
    }

    static func serverConfig(_ node: Node, reader: YAMLReader) throws(ConfigError) -> ServerConfig {
        let mapping = try reader.mapping(node, "server", allowed: ["listen", "max_body", "auth", "idle_timeout", "read_timeout", "max_connections"])
        var server = ServerConfig()
        if let listenNode = mapping["listen"] {
            let text = try reader.string(listenNode, "listen")
            switch ListenAddress.parse(text) {
            case .success(let address): server.listen = address
            case .failure(let error): throw reader.error(listenNode, "malformed listen address \"\(text)\": \(error.reason)")
            }
        }
        if let sizeNode = mapping["max_body"] {
            server.maxBody = try reader.size(sizeNode, "max_body")
            guard server.maxBody > 0 else { throw reader.error(sizeNode, "max_body must be more than 0") }
        }
        for (key, keyPath) in [("idle_timeout", \ServerConfig.idleTimeout), ("read_timeout", \ServerConfig.readTimeout)] {
            guard let durationNode = mapping[key] else { continue }
            let duration = try reader.duration(durationNode, key)
            guard duration > .zero else { throw reader.error(durationNode, "\(key) must be more than 0") }
            server[keyPath: keyPath] = duration
        }
        if let connectionsNode = mapping["max_connections"] {
            server.maxConnections = try reader.int(connectionsNode, "max_connections", min: 1)
        }
        if let authNode = mapping["auth"] { server.auth = try authConfig(authNode, reader: reader) }
        return server
    }

    static func apiConfig(_ node: Node, reader: YAMLReader) throws(ConfigError) -> APIConfig {
        try rejectInlineSecrets(node, ["token"], section: "api", reader: reader)
        let mapping = try reader.mapping(node, "api", allowed: ["base_url", "token_file", "token_env", "timeout", "concurrency", "rate_limit"])
        guard let urlNode = mapping["base_url"] else { throw reader.error(node, "api is missing \"base_url\"") }
        var baseURL = try reader.nonEmptyString(urlNode, "base_url")
        guard let url = URL(string: baseURL), let scheme = url.scheme, ["http", "https"].contains(scheme), url.host != nil else {
            throw reader.error(urlNode, "base_url \"\(baseURL)\" is not an http(s) URL")
        }
        while baseURL.hasSuffix("/") { baseURL.removeLast() }
        guard let token = try secret(mapping, "token", section: "api", reader: reader) else {
            throw reader.error(node, "api needs token_file (a path) or token_env (a variable name)")
        }
        var api = APIConfig(baseURL: baseURL, token: token)
        if let timeoutNode = mapping["timeout"] {
            api.timeout = try reader.duration(timeoutNode, "timeout")
            guard api.timeout > .zero else { throw reader.error(timeoutNode, "timeout must be more than 0") }
        }
        if let concurrencyNode = mapping["concurrency"] { api.concurrency = try reader.int(concurrencyNode, "concurrency", min: 1) }
        if let rateNode = mapping["rate_limit"] {
            api.rateLimit = try reader.number(rateNode, "rate_limit")
            guard api.rateLimit >= 0, api.rateLimit <= 1_000_000 else {
                throw reader.error(rateNode, "rate_limit must be 0 (unlimited) up to 1000000 PATCHes per second")
            }
        }
        return api
    }

    static func queueConfig(_ node: Node, reader: YAMLReader) throws(ConfigError) -> QueueConfig {
        let mapping = try reader.mapping(node, "queue", allowed: ["path", "retry", "retention"])
        var queue = QueueConfig()
        if let pathNode = mapping["path"] { queue.path = try reader.nonEmptyString(pathNode, "path") }
        if let retentionNode = mapping["retention"] { queue.retention = try reader.duration(retentionNode, "retention") }
        if let retryNode = mapping["retry"] {
            let retry = try reader.mapping(retryNode, "queue.retry", allowed: ["initial_delay", "max_delay", "max_attempts", "max_age"])
            if let n = retry["initial_delay"] { queue.retry.initialDelay = try reader.duration(n, "initial_delay") }
            if let n = retry["max_delay"] { queue.retry.maxDelay = try reader.duration(n, "max_delay") }
            if let n = retry["max_attempts"] { queue.retry.maxAttempts = try reader.int(n, "max_attempts", min: 1) }
            if let n = retry["max_age"] { queue.retry.maxAge = try reader.duration(n, "max_age") }
            if queue.retry.maxDelay < queue.retry.initialDelay, let n = retry["max_delay"] {
                throw reader.error(n, "max_delay must not be shorter than initial_delay")
            }
        }
        return queue
    }
}

extension YAMLReader {
    func sequenceElement(_ node: Node, _ index: Int) -> Node {
        if case .sequence(let sequence) = node, index < sequence.count { return Array(sequence)[index] }
        return node
    }
}
