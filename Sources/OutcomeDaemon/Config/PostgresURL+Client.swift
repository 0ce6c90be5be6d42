import PostgresNIO

extension PostgresURL {
    /// The client settings for this URL, with at most `pool` connections; a connection that
    /// cannot be made within `connectTimeout` fails the query that waits for it.
    public func clientConfiguration(pool: Int, connectTimeout: Duration = .seconds(5)) -> PostgresClient.Configuration {
        var configuration: PostgresClient.Configuration
        if let socketPath {
            configuration = .init(unixSocketPath: socketPath, username: user, password: password, database: database)
        } else {
            let tlsMode: PostgresClient.Configuration.TLS
            switch tls {
            case .disable: tlsMode = .disable
            case .prefer: tlsMode = .prefer(.makeClientConfiguration())
            case .require: tlsMode = .require(.makeClientConfiguration())
            }
            configuration = .init(host: host ?? "localhost", port: port, username: user, password: password, database: database, tls: tlsMode)
        }
        configuration.options.maximumConnections = max(2, pool)
        configuration.options.connectTimeout = connectTimeout
        // A prepared statement's generic plan is made once per connection, from the statistics
        // of that moment: made on a young table it reads every row of what grows into a big one
        // (intake's duplicate lookup became a scan of all events). Each execution is planned.
        configuration.options.additionalStartupParameters = [("plan_cache_mode", "force_custom_plan")]
        return configuration
    }
}
