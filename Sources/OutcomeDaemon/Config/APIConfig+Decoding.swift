import Foundation
import Yams

extension APIConfig {
    /// Decodes the `api` section.
    init(yaml node: Node, reader: YAMLReader) throws(ConfigError) {
        try Config.rejectInlineSecrets(node, ["token"], section: "api", reader: reader)
        let mapping = try reader.mapping(node, "api", allowed: ["base_url", "token_file", "token_env", "timeout", "concurrency", "rate_limit"])
        guard let urlNode = mapping["base_url"] else { throw reader.error(node, "api is missing \"base_url\"") }
        var baseURL = try reader.nonEmptyString(urlNode, "base_url")
        guard let url = URL(string: baseURL), let scheme = url.scheme, ["http", "https"].contains(scheme), url.host != nil else {
            throw reader.error(urlNode, "base_url \"\(baseURL)\" is not an http(s) URL")
        }
        while baseURL.hasSuffix("/") { baseURL.removeLast() }
        guard let token = try Config.secret(mapping, "token", section: "api", reader: reader) else {
            throw reader.error(node, "api needs token_file (a path) or token_env (a variable name)")
        }
        self.init(baseURL: baseURL, token: token)
        if let timeoutNode = mapping["timeout"] {
            self.timeout = try reader.duration(timeoutNode, "timeout")
            guard self.timeout > .zero else { throw reader.error(timeoutNode, "timeout must be more than 0") }
        }
        if let concurrencyNode = mapping["concurrency"] { self.concurrency = try reader.int(concurrencyNode, "concurrency", min: 1) }
        if let rateNode = mapping["rate_limit"] {
            self.rateLimit = try reader.number(rateNode, "rate_limit")
            guard self.rateLimit >= 0, self.rateLimit <= 1_000_000 else {
                throw reader.error(rateNode, "rate_limit must be 0 (unlimited) up to 1000000 PATCHes per second")
            }
        }
    }
}
