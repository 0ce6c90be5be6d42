import Foundation

/// A libpq-style connection URL, `postgres://user:password@host:port/database?sslmode=require`,
/// the form `queue.postgres.url_file` or `url_env` holds. `host` may instead name the directory
/// of a unix socket (`?host=/run/postgresql`), as libpq allows.
public struct PostgresURL: Sendable, Hashable {
    /// How the connection is encrypted (libpq's `sslmode`, the values that mean something here).
    public enum TLSMode: String, Sendable, Hashable, CaseIterable {
        case disable, prefer, require
    }

    /// The server's host name or address; nil when `socketDirectory` is set.
    public var host: String?
    /// The directory holding the server's unix socket (`.s.PGSQL.PORT`).
    public var socketDirectory: String?
    /// The port (5432 unless given).
    public var port: Int
    /// The role to log in as.
    public var user: String
    /// Its password, if any.
    public var password: String?
    /// The database (the user's name unless given).
    public var database: String
    /// Whether to use TLS.
    public var tls: TLSMode

    /// The unix socket's path, when the URL names a socket directory.
    public var socketPath: String? {
        socketDirectory.map { ($0.hasSuffix("/") ? $0 : $0 + "/") + ".s.PGSQL.\(port)" }
    }

    /// The URL with its password left out, for logs and messages.
    public var redacted: String {
        let credentials = user + (password == nil ? "" : ":***")
        let place = socketDirectory.map { "?host=\($0)" } ?? ""
        return "postgres://\(credentials)@\(host ?? ""):\(port)/\(database)\(place)"
    }

    /// Parses `text`; the error says what is wrong without repeating the password.
    public init(_ text: String) throws(PostgresURLError) {
        let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
        guard let components = URLComponents(string: trimmed) else { throw .init("is not a URL") }
        guard let scheme = components.scheme, ["postgres", "postgresql"].contains(scheme.lowercased()) else {
            throw .init("must start with postgres:// or postgresql://")
        }
        var socketDirectory: String?
        var tls = TLSMode.prefer
        for item in components.queryItems ?? [] {
            let value = item.value ?? ""
            switch item.name {
            case "sslmode":
                guard let mode = TLSMode(rawValue: value) else {
                    throw .init("sslmode=\(value) is not one of \(TLSMode.allCases.map(\.rawValue).joined(separator: ", "))")
                }
                tls = mode
            case "host":
                guard value.hasPrefix("/") else { throw .init("host=\(value) in the query must be a socket directory (an absolute path)") }
                socketDirectory = value
            case "application_name", "connect_timeout":
                continue
            default:
                throw .init("the parameter \"\(item.name)\" is not supported (sslmode, host)")
            }
        }
        let host = components.host.flatMap { $0.isEmpty ? nil : $0 }
        guard host != nil || socketDirectory != nil else { throw .init("names no host (postgres://user@HOST/database)") }
        guard let user = components.user.flatMap({ $0.removingPercentEncoding }), !user.isEmpty else {
            throw .init("names no user (postgres://USER@host/database)")
        }
        if let port = components.port, !(1...65535).contains(port) { throw .init("port \(port) is out of range") }
        let path = components.path.hasPrefix("/") ? String(components.path.dropFirst()) : components.path
        guard !path.contains("/") else { throw .init("the database name \"\(path)\" contains a slash") }
        self.host = socketDirectory == nil ? host : nil
        self.socketDirectory = socketDirectory
        self.port = components.port ?? 5432
        self.user = user
        self.password = components.password.flatMap { $0.removingPercentEncoding }
        self.database = path.isEmpty ? user : (path.removingPercentEncoding ?? path)
        self.tls = tls
    }
}

/// Why a PostgreSQL URL was refused.
public struct PostgresURLError: Error, Sendable, Equatable, CustomStringConvertible {
    /// What is wrong, without the password.
    public var reason: String

    init(_ reason: String) { self.reason = reason }

    /// "the PostgreSQL URL …".
    public var description: String { "the PostgreSQL URL \(reason)" }
}
