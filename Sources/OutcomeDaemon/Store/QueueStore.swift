/// The queue contract of SPEC §4 that intake, delivery and the operator commands use, and
/// nothing else: the embedded SQLite store (`SQLiteQueueStore`) and the shared PostgreSQL store
/// (`PostgresQueueStore`) both keep it, and every command works on either.
///
/// Times are Unix milliseconds. `now` is the caller's clock; a store shared by several machines
/// reads due and lease times from its own clock instead, and takes a time the caller computed
/// (`leaseUntil`, a retry's `nextAttemptAt`) as that far from its own now.
public protocol QueueStore: AnyObject, Sendable, EventHistory {
    /// Where the store is, for logs and errors (a path, or a URL without its password).
    var location: String { get }

    /// How long a commit may wait for a lock or a connection before it fails.
    var busyTimeout: Duration { get }

    /// Whether the jobs left `in_flight` at start belong to a previous run of this very process
    /// (the embedded store: one process at a time) and go back to `pending` at once, rather
    /// than when their leases expire.
    var recoversInFlightAtStart: Bool { get }

    /// How many intake commits may run at once: one for a store with a single writer.
    var intakeCommitsAtOnce: Int { get }

    /// Commits records in one transaction: each event is stored and its decision queued, or
    /// found to be a duplicate. Returns one receipt per record, in order; gives up at `deadline`.
    /// With `handoff`, up to its limit of the new jobs go in flight for its owner at once, and
    /// are returned with the receipts (their receipts say `handedOff`).
    func commit(_ records: [IntakeRecord], now: Int64, deadline: ContinuousClock.Instant?, handoff: IntakeHandoff?) async throws -> IntakeCommit

    /// Commits as `commit(_:now:deadline:handoff:)` does, and calls `completion` with the
    /// result. The embedded store calls it on its intake queue, so that intake's next batch
    /// is queued there at once instead of after two thread hops.
    func commit(
        _ records: [IntakeRecord], now: Int64, deadline: ContinuousClock.Instant?, handoff: IntakeHandoff?,
        completion: @escaping @Sendable (Result<IntakeCommit, any Error>) -> Void
    )

    /// Whether a commit goes through now (readiness, after a failure), writing little.
    func probeWrite(now: Int64) async -> Result<Void, any Error>

    /// Puts every job left `in_flight` back to `pending` (embedded store, at start).
    func recoverInFlight(now: Int64) async throws -> Int

    /// One delivery round's writes, in one transaction: records the results of attempts (a
    /// result counts only while `owner` holds the job's lease), then marks up to `claimLimit`
    /// due jobs `in_flight` under a lease held by `owner` until `leaseUntil` and returns them,
    /// oldest due first, with the time the next pending job is due. Expired leases of other
    /// instances are taken back before the claim, and a call with a job in flight is skipped.
    /// After a throw the caller sends the same results again: a result recorded twice changes
    /// nothing, as it counts only while the lease holds.
    func settle(_ results: [JobResult], claimLimit: Int, now: Int64, owner: String, leaseUntil: Int64) async throws -> Settlement

    /// Puts the jobs `owner` holds back to `pending`, uncharged (graceful shutdown).
    func releaseAllInFlight(now: Int64, owner: String) async throws -> Int

    /// Records that `owner` is alive and returns how many instances are (itself included), so
    /// that each takes its share of `api.rate_limit`; the embedded store has one.
    func heartbeat(owner: String, now: Int64) async throws -> Int

    /// Deletes done jobs and events received before `cutoff` that no unfinished job needs.
    func prune(olderThan cutoff: Int64) async throws -> Int

    /// Counts by state, and the age of the oldest pending job.
    func stats(now: Int64) async throws -> QueueStats

    /// Jobs, newest first, optionally of one state and one call.
    func list(state: JobState?, callID: String?, limit: Int) async throws -> [Job]

    /// One job by id.
    func job(_ id: Int64) async throws -> Job?

    /// Puts dead jobs back to `pending` with their attempts reset: the given ones, or every dead
    /// job when `ids` is nil; a job whose call already has a pending job is skipped.
    func retry(ids: [Int64]?, now: Int64) async throws -> OperatorChange

    /// Cancels pending jobs: they become dead with `cancelled by operator`.
    func cancel(ids: [Int64], now: Int64) async throws -> OperatorChange

    /// Deletes done or dead jobs last changed before `cutoff`; returns how many.
    func purge(state: JobState, before cutoff: Int64) async throws -> Int

    /// Queues `replay --apply --yes`'s changes through the normal queue (one call, one line); a
    /// call whose pending job comes from an event newer than the replayed one keeps it.
    func queueReplayed(_ changes: [ReplayChange], now: Int64) async throws -> [ReplayQueueing]

    /// `queue copy`'s read: up to `limit` stored events with ids after `after`, oldest first.
    func copiedEvents(after: Int64, limit: Int) async throws -> [CopiedEvent]

    /// `queue copy`'s read: up to `limit` pending, in-flight and dead jobs with ids after `after`,
    /// oldest first.
    func copiedJobs(after: Int64, limit: Int) async throws -> [CopiedJob]

    /// `queue copy`'s write, in one transaction: the events whose keys are new here, then the
    /// jobs whose event and call have no job here yet (in flight becomes pending and due now; a
    /// pending job keeps its due time and attempts); a pending job is not added where the call
    /// already has one. Running it again adds nothing.
    func addCopied(events: [CopiedEvent], jobs: [CopiedJob], now: Int64) async throws -> CopyCounts
}

extension QueueStore {
    /// Runs the async commit in a task and reports its result.
    public func commit(
        _ records: [IntakeRecord], now: Int64, deadline: ContinuousClock.Instant?, handoff: IntakeHandoff?,
        completion: @escaping @Sendable (Result<IntakeCommit, any Error>) -> Void
    ) {
        Task {
            do {
                completion(.success(try await commit(records, now: now, deadline: deadline, handoff: handoff)))
            } catch {
                completion(.failure(error))
            }
        }
    }

    /// Commits records, every new job pending: see `commit(_:now:deadline:handoff:)`.
    public func commit(_ records: [IntakeRecord], now: Int64, deadline: ContinuousClock.Instant?) async throws -> [IntakeReceipt] {
        try await commit(records, now: now, deadline: deadline, handoff: nil).receipts
    }
}
