import Yams

/// The `NAME_file` / `NAME_env` pairs every secret is given by; never an inline value.
extension Config {
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
}
