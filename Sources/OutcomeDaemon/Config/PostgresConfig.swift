/// The shared PostgreSQL store's settings (`queue.postgres`, SPEC §10).
public struct PostgresConfig: Sendable, Hashable {
    /// Where the connection URL is read from (`url_file` or `url_env`); it holds a password.
    public var url: SecretSource
    /// Connections this instance opens at most.
    public var pool: Int = 8

    /// Creates settings with the default pool.
    public init(url: SecretSource) {
        self.url = url
    }
}
