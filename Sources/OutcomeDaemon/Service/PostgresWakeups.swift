import Logging
import PostgresNIO
import ServiceLifecycle

/// Wakes delivery when another instance (or this one) queues a job: `LISTEN` on the shared
/// store's channel, on a connection of its own for as long as serve runs. A lost connection
/// is made again after a second; meanwhile the worker's once-a-second poll finds due jobs.
struct PostgresWakeups: Service {
    let client: PostgresClient
    let channel: String
    let logger: Logger
    let wake: @Sendable () -> Void

    func run() async throws {
        await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                do {
                    try await client.withConnection { connection in
                        try await connection.listen(on: channel) { notifications in
                            // Jobs queued before LISTEN took effect are found by this first wake.
                            wake()
                            for try await _ in notifications { wake() }
                        }
                    }
                } catch {
                    if Task.isCancelled { return }
                    logger.warning("cannot listen for new jobs; polling until it can", metadata: [
                        "event": "store_error", "error": "\(StoreHealth.describe(error))",
                    ])
                }
                try? await Task.sleep(for: .seconds(1))
            }
        }
    }
}
