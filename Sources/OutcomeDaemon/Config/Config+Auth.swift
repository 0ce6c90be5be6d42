import Yams

extension Config {
    static let authSecretNames = ["bearer_token", "shared_secret", "hmac_secret", "retell_api_key"]
    static let vapiHMACKeys = ["secret_file", "secret_env", "algorithm", "signature_header", "timestamp_header", "prefix", "encoding", "payload"]

    /// `server.auth`: the sender authentication methods of SPEC §2.
    static func authConfig(_ node: Node, reader: YAMLReader) throws(ConfigError) -> AuthConfig {
        try rejectInlineSecrets(node, authSecretNames, section: "server.auth", reader: reader)
        let allowed = authSecretNames.flatMap { ["\($0)_file", "\($0)_env"] } + ["shared_secret_header", "vapi_hmac"]
        let mapping = try reader.mapping(node, "server.auth", allowed: allowed)
        var auth = AuthConfig()
        auth.bearerToken = try secret(mapping, "bearer_token", section: "server.auth", reader: reader)
        auth.sharedSecret = try secret(mapping, "shared_secret", section: "server.auth", reader: reader)
        auth.hmacSecret = try secret(mapping, "hmac_secret", section: "server.auth", reader: reader)
        auth.retellAPIKey = try secret(mapping, "retell_api_key", section: "server.auth", reader: reader)
        if let headerNode = mapping["shared_secret_header"] {
            auth.sharedSecretHeader = try headerName(headerNode, "shared_secret_header", reader: reader)
        }
        if (auth.sharedSecret == nil) != (auth.sharedSecretHeader == nil) {
            throw reader.error(node, "shared_secret_header and shared_secret_file/shared_secret_env go together")
        }
        if let vapiNode = mapping["vapi_hmac"], let keyNode = mapping.keyNode("vapi_hmac") {
            auth.vapiHMAC = try vapiHMACConfig(vapiNode, keyNode: keyNode, reader: reader)
        }
        return auth
    }

    /// `server.auth.vapi_hmac`: the fields of Vapi's HMAC credential.
    static func vapiHMACConfig(_ node: Node, keyNode: Node, reader: YAMLReader) throws(ConfigError) -> VapiHMACConfig {
        let section = "server.auth.vapi_hmac"
        try rejectInlineSecrets(node, ["secret"], section: section, reader: reader)
        let mapping = try reader.mapping(node, section, allowed: vapiHMACKeys)
        guard let secret = try secret(mapping, "secret", section: section, reader: reader) else {
            throw reader.error(keyNode, "\(section) needs secret_file (a path) or secret_env (a variable name): the credential's secret key")
        }
        var config = VapiHMACConfig(secret: secret)
        if let algorithmNode = mapping["algorithm"] {
            config.algorithm = try choice(algorithmNode, "algorithm", section: section, reader: reader)
        }
        if let encodingNode = mapping["encoding"] {
            config.encoding = try choice(encodingNode, "encoding", section: section, reader: reader)
        }
        if let n = mapping["signature_header"] { config.signatureHeader = try headerName(n, "signature_header", reader: reader) }
        if let n = mapping["timestamp_header"] { config.timestampHeader = try headerName(n, "timestamp_header", reader: reader) }
        if let n = mapping["prefix"] { config.prefix = try reader.string(n, "prefix") }
        if let payloadNode = mapping["payload"] {
            let template = try reader.nonEmptyString(payloadNode, "payload")
            switch SignaturePayload.parse(template) {
            case .success(let payload): config.payload = payload
            case .failure(.noBody):
                throw reader.error(payloadNode, "payload \"\(template)\" does not contain {body}: the signature must cover the body")
            case .failure(.unsupportedPlaceholder(let name)):
                throw reader.error(payloadNode, "payload \"\(template)\" uses {\(name)}; outcomed fills only {timestamp} and {body}")
            }
        }
        return config
    }

    /// One of an enum's raw values; anything else is an error that lists them.
    static func choice<T: RawRepresentable & CaseIterable>(_ node: Node, _ key: String, section: String, reader: YAMLReader) throws(ConfigError) -> T
    where T.RawValue == String {
        let text = try reader.nonEmptyString(node, key)
        if let value = T(rawValue: text) { return value }
        let names = T.allCases.map(\.rawValue)
        throw reader.error(node, "unknown \(key) \"\(text)\" in \(section); use \(names.dropLast().joined(separator: ", ")) or \(names.last ?? "")\(Suggestion.hint(for: text, in: names))")
    }

    static func headerName(_ node: Node, _ key: String, reader: YAMLReader) throws(ConfigError) -> String {
        let header = try reader.nonEmptyString(node, key)
        guard header.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-" || $0 == "_") }) else {
            throw reader.error(node, "\(key) \"\(header)\" is not a valid header name")
        }
        return header
    }
}
