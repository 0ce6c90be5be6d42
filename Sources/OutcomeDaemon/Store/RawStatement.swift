import GRDB
import GRDBSQLite

/// A statement from GRDB's cache, bound and stepped through SQLite's C API: intake's
/// per-event statements, where boxing each argument as a `DatabaseValue` and GRDB's hooks
/// around every step took a fifth of the writer thread's CPU.
///
/// Only for plain reads and writes inside a transaction GRDB opened: the steps bypass GRDB's
/// hooks, so no transaction observer hears them and an interrupt is a `DatabaseError`, not a
/// `CancellationError`. A failed step throws the `DatabaseError` GRDB would; the statement is
/// reset and stays usable (SQLite allows a reset after any error).
struct RawStatement: ~Copyable {
    /// Held so that the cache cannot finalize the handle while it is in use.
    private let statement: Statement
    private let handle: SQLiteStatement
    private let connection: SQLiteConnection?
    private let sql: String

    /// Prepares `sql` once per connection (GRDB's statement cache) and resets it for a new run.
    init(_ db: Database, sql: String) throws {
        statement = try db.cachedStatement(sql: sql)
        handle = statement.sqliteStatement
        connection = db.sqliteConnection
        self.sql = sql
        sqlite3_reset(handle)
        sqlite3_clear_bindings(handle)
    }

    deinit {
        // The cached statement keeps no bindings nor a half-read result between runs.
        sqlite3_reset(handle)
        sqlite3_clear_bindings(handle)
    }

    func bind(_ index: Int32, _ value: Int64) throws {
        try check(sqlite3_bind_int64(handle, index, value))
    }

    func bind(_ index: Int32, _ value: Int64?) throws {
        guard let value else { return try check(sqlite3_bind_null(handle, index)) }
        try bind(index, value)
    }

    func bind(_ index: Int32, _ value: String?) throws {
        guard var value else { return try check(sqlite3_bind_null(handle, index)) }
        try value.withUTF8 { text in
            try check(sqlite3_bind_text64(handle, index, text.baseAddress, UInt64(text.count), Self.transient, UInt8(SQLITE_UTF8)))
        }
    }

    func bind(_ index: Int32, blob: [UInt8]) throws {
        try blob.withUnsafeBytes { bytes in
            // SQLite would read an empty buffer's null address as NULL, not as an empty blob.
            guard let address = bytes.baseAddress, !bytes.isEmpty else { return try check(sqlite3_bind_zeroblob(handle, index, 0)) }
            try check(sqlite3_bind_blob64(handle, index, address, UInt64(bytes.count), Self.transient))
        }
    }

    /// Runs the statement to its next row: true if there is one, false when done.
    func step() throws -> Bool {
        switch sqlite3_step(handle) {
        case SQLITE_ROW: return true
        case SQLITE_DONE: return false
        case let code: throw error(code)
        }
    }

    /// Runs a statement that returns no rows.
    func execute() throws {
        while try step() {}
    }

    func int64(_ column: Int32) -> Int64 {
        sqlite3_column_int64(handle, column)
    }

    /// The column's text; NULL reads as empty (the columns read this way are NOT NULL).
    func string(_ column: Int32) -> String {
        guard let text = sqlite3_column_text(handle, column) else { return "" }
        return String(decoding: UnsafeBufferPointer(start: text, count: Int(sqlite3_column_bytes(handle, column))), as: UTF8.self)
    }

    private func check(_ code: Int32) throws {
        guard code == SQLITE_OK else { throw error(code) }
    }

    private func error(_ code: Int32) -> DatabaseError {
        let message = connection.flatMap { sqlite3_errmsg($0) }.map { String(cString: $0) }
        return DatabaseError(resultCode: ResultCode(rawValue: code), message: message, sql: sql)
    }

    /// SQLite copies the bound value (`SQLITE_TRANSIENT`).
    private static let transient = unsafeBitCast(-1, to: sqlite3_destructor_type.self)
}
