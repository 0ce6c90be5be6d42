import Yams

extension QueueConfig {
    /// Decodes the `queue` section.
    init(yaml node: Node, reader: YAMLReader) throws(ConfigError) {
        let mapping = try reader.mapping(node, "queue", allowed: ["path", "postgres", "retry", "retention"])
        self.init()
        if let pathNode = mapping["path"] { self.path = try reader.nonEmptyString(pathNode, "path") }
        if let postgresNode = mapping["postgres"] {
            if let pathKey = mapping.keyNode("path") {
                throw reader.error(pathKey, "give queue.path (the embedded store) or queue.postgres (a shared store), not both")
            }
            try Config.rejectInlineSecrets(postgresNode, ["url"], section: "queue.postgres", reader: reader)
            let postgres = try reader.mapping(postgresNode, "queue.postgres", allowed: ["url_file", "url_env", "pool"])
            guard let url = try Config.secret(postgres, "url", section: "queue.postgres", reader: reader) else {
                throw reader.error(postgresNode, "queue.postgres needs url_file (a path) or url_env (a variable name)")
            }
            var config = PostgresConfig(url: url)
            if let poolNode = postgres["pool"] { config.pool = try reader.int(poolNode, "pool", min: 2) }
            self.postgres = config
        }
        if let retentionNode = mapping["retention"] { self.retention = try reader.duration(retentionNode, "retention") }
        if let retryNode = mapping["retry"] {
            let retry = try reader.mapping(retryNode, "queue.retry", allowed: ["initial_delay", "max_delay", "max_attempts", "max_age"])
            if let n = retry["initial_delay"] { self.retry.initialDelay = try reader.duration(n, "initial_delay") }
            if let n = retry["max_delay"] { self.retry.maxDelay = try reader.duration(n, "max_delay") }
            if let n = retry["max_attempts"] { self.retry.maxAttempts = try reader.int(n, "max_attempts", min: 1) }
            if let n = retry["max_age"] { self.retry.maxAge = try reader.duration(n, "max_age") }
            if self.retry.maxDelay < self.retry.initialDelay, let n = retry["max_delay"] {
                throw reader.error(n, "max_delay must not be shorter than initial_delay")
            }
        }
    }
}
