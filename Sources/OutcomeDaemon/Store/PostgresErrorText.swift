import PostgresNIO

/// An operator's account of a PostgreSQL error. `PSQLError`'s own description hides
/// everything (it may hold row data); this says what the server said, or why it was not reached.
enum PostgresErrorText {
    static func describe(_ error: PSQLError) -> String {
        if let message = error.serverInfo?[.message] {
            let state = error.serverInfo?[.sqlState].map { " (SQLSTATE \($0))" } ?? ""
            return "PostgreSQL said: \(message)\(state)"
        }
        switch error.code {
        case .connectionError, .serverClosedConnection, .uncleanShutdown:
            return "PostgreSQL cannot be reached" + (error.underlying.map { ": \($0)" } ?? "")
        case .sslUnsupported: return "PostgreSQL does not offer TLS, and the URL has sslmode=require"
        case .authMechanismRequiresPassword: return "PostgreSQL asks for a password, and the URL has none"
        case .poolClosed, .clientClosedConnection: return "the connection to PostgreSQL is closed (shutting down)"
        case .queryCancelled: return "the PostgreSQL query was cancelled"
        default: return "PostgreSQL error: \(error.code)"
        }
    }
}
