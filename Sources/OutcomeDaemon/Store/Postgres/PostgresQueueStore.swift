import Logging
import NIOCore
import PostgresNIO

/// The queue shared by several `outcomed` instances in one PostgreSQL database (SPEC §10).
///
/// Idempotency and "one call, one line" are enforced by the database: a unique index on the
/// events' idempotency keys, and partial unique indexes that allow one `pending` and one
/// `in_flight` job per call. Jobs are claimed with `FOR UPDATE SKIP LOCKED` under leases.
///
/// Clock: created, updated, due and lease times are read from the database's clock, so clock
/// skew between machines does not matter. A time the caller computed on its own clock
/// (`leaseUntil`, a result's `nextAttemptAt`) is taken as an offset from the `now` passed in
/// the same call (`database now + (leaseUntil - now)`), and `nextDueAt(now:)` answers on the
/// caller's clock (`now + (earliest due - database now)`). Cutoffs (`prune`, `purge`) are
/// compared as given.
///
/// The caller owns the `PostgresClient` and runs `client.run()`; call `migrate()` once before
/// anything else. Jobs in flight at start stay with their leases (`recoversInFlightAtStart` is
/// false): another instance may still be sending them.
public final class PostgresQueueStore: Sendable {
    /// The connection pool.
    public let client: PostgresClient
    /// Where the database is, for logs and errors (a URL without its password).
    public let location: String
    /// How long a commit may wait for a connection or a lock before it fails.
    public let busyTimeout: Duration
    /// How many intake commits may run at once, each on a connection of its own.
    public let intakeCommitsAtOnce: Int
    let logger: Logger
    /// About an event's worth of incompressible bytes, which the readiness probe writes.
    let probePadding: ByteBuffer

    /// The channel a commit that queued a job notifies; instances `LISTEN` on it to wake up.
    public static let notificationChannel = "outcomed_jobs"

    /// Creates a store over `client`, which the caller runs; `intakeCommitsAtOnce` should leave
    /// some of the client's connections to delivery.
    public init(client: PostgresClient, location: String, busyTimeout: Duration = .seconds(5), intakeCommitsAtOnce: Int = 2, logger: Logger) {
        self.client = client
        self.location = location
        self.busyTimeout = busyTimeout
        self.intakeCommitsAtOnce = max(1, intakeCommitsAtOnce)
        self.logger = logger
        var generator = SystemRandomNumberGenerator()
        probePadding = ByteBuffer(bytes: (0..<16_384).map { _ in UInt8.random(in: 0...255, using: &generator) })
    }

    /// Runs `body` on a connection leased before `deadline` (else fails without starting), and
    /// tells any failure as a `StoreError` an operator can read.
    func withSession<T: Sendable>(
        until deadline: ContinuousClock.Instant? = nil,
        _ body: @escaping @Sendable (PostgresSession) async throws -> T
    ) async throws -> T {
        let deadline = deadline ?? .now + busyTimeout
        let gate = ConnectionGate()
        let client = client
        let logger = logger
        let work = Task {
            try await client.withConnection { connection in
                guard gate.start() else { throw PostgresStoreFailure.noConnection }
                return try await body(PostgresSession(connection: connection, logger: logger))
            }
        }
        // A timer on an event loop rather than a racing child task: a session that gets its
        // connection at once then costs no task and no wake-up beyond its own.
        let timer = EventLoopTimer.call(at: deadline) {
            if gate.timeOut() { work.cancel() }
        }
        defer { timer?.cancel() }
        do {
            return try await withTaskCancellationHandler {
                try await work.value
            } onCancel: {
                work.cancel()
            }
        } catch let error as StoreError {
            throw error
        } catch where gate.timedOut {
            throw StoreError(path: location, reason: describe(PostgresStoreFailure.noConnection))
        } catch {
            throw StoreError(path: location, reason: describe(error))
        }
    }
}

extension PostgresQueueStore: QueueStore {
    /// Leases decide: a job in flight at start may belong to another live instance.
    public var recoversInFlightAtStart: Bool { false }
}
