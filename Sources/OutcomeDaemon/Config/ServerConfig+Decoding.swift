import Yams

extension ServerConfig {
    /// Decodes the `server` section.
    init(yaml node: Node, reader: YAMLReader) throws(ConfigError) {
        let mapping = try reader.mapping(node, "server", allowed: ["listen", "max_body", "auth", "idle_timeout", "read_timeout", "max_connections"])
        self.init()
        if let listenNode = mapping["listen"] {
            let text = try reader.string(listenNode, "listen")
            switch ListenAddress.parse(text) {
            case .success(let address): self.listen = address
            case .failure(let error): throw reader.error(listenNode, "malformed listen address \"\(text)\": \(error.reason)")
            }
        }
        if let sizeNode = mapping["max_body"] {
            self.maxBody = try reader.size(sizeNode, "max_body")
            guard self.maxBody > 0 else { throw reader.error(sizeNode, "max_body must be more than 0") }
        }
        for (key, keyPath) in [("idle_timeout", \ServerConfig.idleTimeout), ("read_timeout", \ServerConfig.readTimeout)] {
            guard let durationNode = mapping[key] else { continue }
            let duration = try reader.duration(durationNode, key)
            guard duration > .zero else { throw reader.error(durationNode, "\(key) must be more than 0") }
            self[keyPath: keyPath] = duration
        }
        if let connectionsNode = mapping["max_connections"] {
            self.maxConnections = try reader.int(connectionsNode, "max_connections", min: 1)
        }
        if let authNode = mapping["auth"] { self.auth = try Config.authConfig(authNode, reader: reader) }
    }
}
