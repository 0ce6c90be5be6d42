import Logging
import PostgresNIO

/// One leased connection of the PostgreSQL store, with the few ways the store uses it.
struct PostgresSession: Sendable {
    let connection: PostgresConnection
    let logger: Logger

    /// The database's clock in Unix milliseconds: due and lease times are read from it (SPEC §10).
    static let now = "(extract(epoch from clock_timestamp()) * 1000)::bigint"

    /// Runs `query` and returns all its rows.
    @discardableResult
    func execute(_ query: PostgresQuery) async throws -> [PostgresRow] {
        try await connection.query(query, logger: logger).collect()
    }

    /// Runs a statement prepared once per connection and returns all its rows.
    func execute<Statement: PostgresPreparedStatement>(_ statement: Statement) async throws -> [Statement.Row] {
        var rows: [Statement.Row] = []
        for try await row in try await connection.execute(statement, logger: logger) { rows.append(row) }
        return rows
    }

    /// The first column of the first row, which the query must return.
    func value<Value: PostgresDecodable>(_ query: PostgresQuery, as type: Value.Type = Value.self) async throws -> Value {
        guard let row = try await execute(query).first else { throw PostgresStoreFailure.missingRow }
        return try row.decode(Value.self)
    }

    /// The database's clock now, in Unix milliseconds.
    func databaseNow() async throws -> Int64 {
        try await value("SELECT \(unescaped: Self.now)")
    }

    /// Runs `body` in a transaction: committed when it returns, rolled back when it throws.
    func transaction<T>(_ body: () async throws -> T) async throws -> T {
        try await execute("BEGIN")
        let value: T
        do {
            value = try await body()
        } catch {
            _ = try? await execute("ROLLBACK")
            throw error
        }
        try await execute("COMMIT")
        return value
    }

    /// Makes a lock wait of the current transaction fail after `limit`, and a statement a
    /// little later, so that a lock held elsewhere is reported as such.
    func limitWaits(to limit: Duration) async throws {
        let (lock, statement) = Self.settings(limitingWaitsTo: limit)
        try await execute("SELECT set_config('lock_timeout', \(lock), true), set_config('statement_timeout', \(statement), true)")
    }

    /// The `lock_timeout` and `statement_timeout` settings of `limitWaits(to:)`.
    static func settings(limitingWaitsTo limit: Duration) -> (lock: String, statement: String) {
        let lock = max(1, limit.milliseconds)
        return ("\(lock)ms", "\(lock + 50)ms")
    }

    /// Runs `body` inside the current transaction under a savepoint, and again from the savepoint
    /// when it breaks a unique index: a job moved back to `pending` meets a pending job that a
    /// commit of another instance added meanwhile, which the next try sees and yields to.
    func redoingOnUniqueViolation<T>(_ body: () async throws -> T) async throws -> T {
        try await execute("SAVEPOINT outcomed_redo")
        var tries = 1
        while true {
            do {
                let value = try await body()
                try await execute("RELEASE SAVEPOINT outcomed_redo")
                return value
            } catch let error as PSQLError where error.isUniqueViolation && tries < Self.redoLimit {
                tries += 1
                logger.debug("redoing after a concurrent change", metadata: ["tries": "\(tries)"])
                try await execute("ROLLBACK TO SAVEPOINT outcomed_redo")
            }
        }
    }

    /// Each redo follows a commit of another instance that the next try sees, so a few are plenty.
    static let redoLimit = 5
}

extension PSQLError {
    /// The SQLSTATE the server sent, if the server sent the error.
    var sqlState: String? { serverInfo?[.sqlState] }

    /// Whether a unique index refused a row (SQLSTATE 23505).
    var isUniqueViolation: Bool { sqlState == "23505" }
}
