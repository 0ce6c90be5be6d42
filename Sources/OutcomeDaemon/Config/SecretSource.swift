import Foundation

/// Where a secret comes from: a file (`*_file`) or an environment variable (`*_env`).
/// Secrets are never written inline in the config.
public struct SecretSource: Sendable, Hashable {
    /// The kinds of source.
    public enum Kind: Sendable, Hashable {
        case file(String)
        case environment(String)
    }

    /// The source.
    public var kind: Kind
    /// The key in the config, such as `api.token_file`, for messages.
    public var key: String
    /// Where the key is in the config.
    public var location: SourceLocation

    /// Creates a source.
    public init(kind: Kind, key: String, location: SourceLocation) {
        self.kind = kind
        self.key = key
        self.location = location
    }

    /// The outcome of checking a source without reading the secret into the config.
    public enum Check: Sendable, Equatable {
        case ok
        /// The secret names an environment variable that is unset here: only a warning for
        /// `check`, which may run away from the service's environment; fatal for `serve`.
        case unset(variable: String)
        case invalid(String)
    }

    /// Checks that the secret can be read, as `outcomed check` does.
    public func check(environment: [String: String]) -> Check {
        switch kind {
        case .environment(let name):
            return environment[name].map { $0.isEmpty ? .invalid("environment variable \(name) is empty") : .ok }
                ?? .unset(variable: name)
        case .file(let path):
            switch Self.expand(path, environment: environment) {
            case .failure(let unset): return .unset(variable: unset.name)
            case .success(let expanded):
                guard FileManager.default.isReadableFile(atPath: expanded) else {
                    return .invalid("secret file \(expanded) is missing or unreadable")
                }
                return .ok
            }
        }
    }

    /// Reads the secret, trimming one trailing newline.
    public func resolve(environment: [String: String]) throws(ConfigError) -> String {
        switch kind {
        case .environment(let name):
            guard let value = environment[name], !value.isEmpty else {
                throw ConfigError(location, "\(key): environment variable \(name) is unset or empty")
            }
            return value
        case .file(let path):
            let expanded: String
            switch Self.expand(path, environment: environment) {
            case .failure(let unset): throw ConfigError(location, "\(key): \(unset.name) is unset, so \(path) cannot be read")
            case .success(let value): expanded = value
            }
            guard let data = FileManager.default.contents(atPath: expanded), var text = String(data: data, encoding: .utf8) else {
                throw ConfigError(location, "\(key): secret file \(expanded) is missing or unreadable")
            }
            while text.hasSuffix("\n") || text.hasSuffix("\r") { text.removeLast() }
            guard !text.isEmpty else { throw ConfigError(location, "\(key): secret file \(expanded) is empty") }
            return text
        }
    }

    struct UnsetVariable: Error { var name: String }

    /// Expands `$NAME` and `${NAME}` in a path.
    static func expand(_ path: String, environment: [String: String]) -> Result<String, UnsetVariable> {
        var result = ""
        var rest = Substring(path)
        while let dollar = rest.firstIndex(of: "$") {
            result += rest[..<dollar]
            var after = rest[rest.index(after: dollar)...]
            let braced = after.first == "{"
            if braced { after = after.dropFirst() }
            let name = after.prefix { $0.isLetter || $0.isNumber || $0 == "_" }
            guard !name.isEmpty else {
                result += "$"
                rest = rest[rest.index(after: dollar)...]
                continue
            }
            guard let value = environment[String(name)] else { return .failure(UnsetVariable(name: String(name))) }
            result += value
            rest = after[name.endIndex...]
            if braced, rest.first == "}" { rest = rest.dropFirst() }
        }
        return .success(result + rest)
    }
}
