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
        // A prepared statement's generic plan is made once per connection, from the statistics of
        // that moment: made on young tables it read every row of what grew into big ones. Every
        // statement on the hot path has an index to read, so sequential scans are priced out and
        // generic plans stay good, instead of planning each execution again. JIT is off, as the
        // raised costs would otherwise have it compile each small statement (50 to 280 ms).
        // The statements rely on READ COMMITTED (ON CONFLICT waits, SKIP LOCKED), whatever the
        // server's default is.
        configuration.options.additionalStartupParameters = [
            ("enable_seqscan", "off"), ("jit", "off"), ("default_transaction_isolation", "read committed"),
        ]
        return configuration
    }
}
