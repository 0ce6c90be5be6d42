/// What a loaded config becomes at run time, with every secret resolved.
struct DaemonRuntimeSettings: Sendable {
    var live: LiveConfig
    var delivery: DeliverySettings

    init(config: Config, dryRun: Bool, environment: [String: String]) throws(ConfigError) {
        guard let api = config.api else {
            throw ConfigError(SourceLocation(file: config.path, line: 1, column: 1), "missing \"api\" section")
        }
        let token = try api.token.resolve(environment: environment)
        live = LiveConfig(
            rules: config.rules,
            maxBody: config.server.maxBody,
            authenticator: try SenderAuthenticator(config.server.auth, environment: environment)
        )
        delivery = DeliverySettings(
            baseURL: api.baseURL, token: token, timeout: api.timeout, concurrency: api.concurrency, rateLimit: api.rateLimit,
            retry: RetryPolicy(config.queue.retry), dryRun: dryRun, retention: config.queue.retention
        )
    }
}
