import PostgresNIO

/// What an operator reads when the PostgreSQL store fails: the cause, without SQL or row data.
extension PostgresQueueStore {
    func describe(_ error: any Error) -> String {
        let timeout = "\(busyTimeout.milliseconds) ms"
        if let failure = error as? PostgresStoreFailure {
            switch failure {
            case .noConnection: return "no connection to PostgreSQL came free within \(timeout) (is the server up and reachable?)"
            case .deadlinePassed: return "the commit waited longer than \(timeout) for its turn"
            case .missingRow: return "PostgreSQL returned no row where one was expected"
            case .concurrentDuplicate: return "events were stored by another instance at the same moment, again and again"
            }
        }
        if error is CancellationError { return "the operation was cancelled" }
        guard let error = error as? PSQLError else { return "the PostgreSQL store failed: \(type(of: error))" }
        switch error.code {
        case .server: break
        case .connectionError, .serverClosedConnection, .clientClosedConnection, .uncleanShutdown:
            return "lost the connection to PostgreSQL"
        case .poolClosed: return "the PostgreSQL connection pool is closed (outcomed is stopping)"
        case .sslUnsupported, .failedToAddSSLHandler, .receivedUnencryptedDataAfterSSLRequest:
            return "cannot set up TLS with PostgreSQL"
        case .unsupportedAuthMechanism, .authMechanismRequiresPassword, .saslError:
            return "PostgreSQL refused to authenticate outcomed"
        default: return "the PostgreSQL connection failed (\(error.code))"
        }
        let state = error.sqlState ?? ""
        switch state {
        case "55P03": return "another PostgreSQL session held a lock that this write needed until its time ran out"
        case "57014": return "PostgreSQL did not finish this write in time (statement timeout)"
        case "53100": return "the disk that holds the PostgreSQL database is full"
        case "53200": return "the PostgreSQL server is out of memory"
        case "53300": return "the PostgreSQL server has too many connections"
        case "25006": return "the PostgreSQL database is read-only (a standby, or default_transaction_read_only)"
        case "40P01": return "PostgreSQL found a deadlock with another session and aborted this transaction"
        case "40001": return "PostgreSQL could not serialize this transaction with another session's"
        case "3D000": return "the PostgreSQL database does not exist"
        case "42P01": return "the PostgreSQL schema is missing (outcomed serve creates it at start)"
        case "42501": return "the PostgreSQL role lacks a privilege it needs"
        case "57P01", "57P02", "57P03": return "the PostgreSQL server is shutting down or starting up"
        default:
            if state.hasPrefix("28") { return "PostgreSQL refused the credentials" }
            if state.hasPrefix("08") { return "lost the connection to PostgreSQL" }
            if state.hasPrefix("58") { return "the PostgreSQL server had an I/O error" }
            let message = error.serverInfo?[.message] ?? "no message"
            return "PostgreSQL refused the operation: \(message) (SQLSTATE \(state))"
        }
    }
}
