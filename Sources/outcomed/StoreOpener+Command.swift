import Foundation
import Logging
import OutcomeDaemon

extension StoreOpener {
    /// The store of `queue` as the CLI opens it: this process's environment for secrets, and
    /// only the PostgreSQL client's errors logged (a command's own output is what it prints).
    static func withCommandStore<Result: Sendable>(
        _ queue: QueueConfig, create: Bool, _ body: (any QueueStore) async throws -> Result
    ) async throws -> Result {
        var logger = Logger(label: "outcomed")
        logger.logLevel = .error
        return try await withStore(queue, create: create, environment: ProcessInfo.processInfo.environment, logger: logger, body)
    }
}
