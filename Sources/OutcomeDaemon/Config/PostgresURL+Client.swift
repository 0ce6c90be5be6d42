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
        return configuration
    }
}
