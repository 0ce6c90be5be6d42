import Foundation
import Logging
import PostgresNIO

/// A fresh PostgreSQL database for one test, on the server that `scripts/with-postgres` starts
/// and names in `OUTCOMED_TEST_POSTGRES_URL`: created before the test, dropped after it.
public struct PostgresTestDatabase: Sendable {
    /// The variable that holds a superuser URL of the test server.
    public static let variable = "OUTCOMED_TEST_POSTGRES_URL"

    /// The server is not named: the PostgreSQL tests fail rather than skip.
    public struct NotConfigured: Error, CustomStringConvertible {
        public var description: String {
            "\(PostgresTestDatabase.variable) is not set: run `make test`, or `scripts/with-postgres swift test`"
        }
    }

    /// The URL cannot be read.
    public struct BadURL: Error, CustomStringConvertible {
        public var url: String
        public var description: String { "\(PostgresTestDatabase.variable) is not a postgres://user@host:port/database URL: \(url)" }
    }

    /// The database's name.
    public let name: String
    /// A client of the database, running while the test runs.
    public let client: PostgresClient
    let server: Server

    struct Server: Sendable {
        var host: String
        var port: Int
        var username: String
        var password: String?
        var database: String

        init() throws {
            guard let url = ProcessInfo.processInfo.environment[PostgresTestDatabase.variable], !url.isEmpty else { throw NotConfigured() }
            guard let components = URLComponents(string: url), ["postgres", "postgresql"].contains(components.scheme),
                  let host = components.host, let username = components.user
            else { throw BadURL(url: url) }
            self.host = host
            port = components.port ?? 5432
            self.username = username
            password = components.password
            let path = components.path.trimmingCharacters(in: CharacterSet(charactersIn: "/"))
            database = path.isEmpty ? "postgres" : path
        }

        func connectionConfiguration(database: String) -> PostgresConnection.Configuration {
            PostgresConnection.Configuration(host: host, port: port, username: username, password: password, database: database, tls: .disable)
        }

        func clientConfiguration(database: String) -> PostgresClient.Configuration {
            var configuration = PostgresClient.Configuration(host: host, port: port, username: username, password: password, database: database, tls: .disable)
            configuration.options.maximumConnections = 8
            return configuration
        }
    }

    /// The database's URL without a password, as a store names its location.
    public var location: String { "postgres://\(server.username)@\(server.host):\(server.port)/\(name)" }

    static let logger = Logger(label: "outcomed.test.postgres") { _ in SwiftLogNoOpLogHandler() }

    /// Creates a database, runs `body` with it and a running client, and drops it afterwards,
    /// also when `body` throws.
    public static func withDatabase<T: Sendable>(_ body: (PostgresTestDatabase) async throws -> T) async throws -> T {
        let server = try Server()
        let name = "outcomed_test_\(UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased())"
        try await administer(server) { admin in
            try await admin.query(PostgresQuery(unsafeSQL: "CREATE DATABASE \(name)"), logger: logger)
        }
        let result: Result<T, any Error>
        do {
            let client = PostgresClient(configuration: server.clientConfiguration(database: name), backgroundLogger: logger)
            let database = PostgresTestDatabase(name: name, client: client, server: server)
            result = .success(try await running(client) { try await body(database) })
        } catch {
            result = .failure(error)
        }
        try await administer(server) { admin in
            try await admin.query(PostgresQuery(unsafeSQL: "DROP DATABASE \(name) WITH (FORCE)"), logger: logger)
        }
        return try result.get()
    }

    /// Runs `body` with another client of the same database (another instance's pool), running
    /// while `body` runs.
    public func withClient<T: Sendable>(_ body: (PostgresClient) async throws -> T) async throws -> T {
        let client = PostgresClient(configuration: server.clientConfiguration(database: name), backgroundLogger: Self.logger)
        return try await Self.running(client) { try await body(client) }
    }

    /// Runs `body` on a single connection of its own to this database, outside any pool (to
    /// hold a transaction open while the store works).
    public func withConnection<T: Sendable>(_ body: (PostgresConnection) async throws -> T) async throws -> T {
        try await Self.onConnection(server.connectionConfiguration(database: name), id: 1, body)
    }

    private static func administer(_ server: Server, _ body: (PostgresConnection) async throws -> Void) async throws {
        try await onConnection(server.connectionConfiguration(database: server.database), id: 0, body)
    }

    /// Runs `body` on a new connection, closed afterwards also when `body` throws.
    private static func onConnection<T: Sendable>(
        _ configuration: PostgresConnection.Configuration, id: Int, _ body: (PostgresConnection) async throws -> T
    ) async throws -> T {
        let connection = try await PostgresConnection.connect(configuration: configuration, id: id, logger: logger)
        let result: Result<T, any Error>
        do {
            result = .success(try await body(connection))
        } catch {
            result = .failure(error)
        }
        try await connection.close()
        return try result.get()
    }

    private static func running<T: Sendable>(_ client: PostgresClient, _ body: () async throws -> T) async throws -> T {
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { await client.run() }
            defer { group.cancelAll() }
            return try await body()
        }
    }
}
