import NIOCore
import OutcomeEngine
import Synchronization

/// Group commit for intake: records that arrive while a commit is running are committed
/// together in the next transaction, so one fsync covers many events, on either store.
///
/// A store that commits several transactions at once (PostgreSQL) gets up to
/// `store.intakeCommitsAtOnce` batches in flight, under the ordering rules of `IntakeBatching`.
///
/// When a commit fails, the records that queued up behind it fail with it: they would meet the
/// same lock or full disk, and a sender waits at most one busy timeout, not one per batch.
///
/// With a `handoff`, each commit puts as many of its new jobs in flight for this instance's
/// delivery as it has room for, and hands them over once committed.
public final class IntakeWriter: Sendable {
    private struct Waiting {
        var record: IntakeRecord
        var continuation: CheckedContinuation<IntakeReceipt, Error>
        var arrived: ContinuousClock.Instant
        var eventLoop: (any EventLoop)?
    }

    private let store: any QueueStore
    private let health: StoreHealth?
    private let handoff: (any IntakeHandoffTarget)?
    private let batching: Mutex<IntakeBatching<Waiting>>
    private let onCommit: @Sendable (Result<Int, Error>) -> Void

    /// Creates a writer; `health` hears how each commit went and vetoes commits to a store
    /// file that was deleted or replaced; `handoff` takes new jobs straight to delivery;
    /// `onCommit` hears each batch's size or failure.
    public init(
        store: any QueueStore, health: StoreHealth? = nil, handoff: (any IntakeHandoffTarget)? = nil, maxBatch: Int = 512,
        onCommit: @escaping @Sendable (Result<Int, Error>) -> Void = { _ in }
    ) {
        self.store = store
        self.health = health
        self.handoff = handoff
        batching = Mutex(IntakeBatching(maxBatch: maxBatch, maxInFlight: store.intakeCommitsAtOnce, call: \.record.callID, key: \.record.idempotencyKey))
        self.onCommit = onCommit
    }

    /// Commits `record` durably (with whatever else is waiting) and returns its receipt. With
    /// `eventLoop` (the sender's connection's), the caller resumes there, where its answer is
    /// written, rather than on whichever thread the concurrency pool picks; the loop must outlive
    /// the commit (the server's loops do), as a loop that has shut down drops the resumption.
    public func commit(_ record: IntakeRecord, resumingOn eventLoop: (any EventLoop)? = nil) async throws -> IntakeReceipt {
        try await withCheckedThrowingContinuation { continuation in
            let waiting = Waiting(record: record, continuation: continuation, arrived: .now, eventLoop: eventLoop)
            let batches = batching.withLock { $0.arrive(waiting) }
            start(batches)
        }
    }

    private func start(_ batches: [[Waiting]]) {
        for batch in batches {
            let room = handoff?.reserve(upTo: batch.count { $0.record.decision.action == .queued })
            let oldest = batch.map(\.arrived).min() ?? .now
            store.commit(batch.map(\.record), now: WallClock.milliseconds(), deadline: oldest + store.busyTimeout, handoff: room) { result in
                self.finish(batch, room: room, result: result)
            }
        }
    }

    /// Runs where the store reports the commit (the embedded store: its intake queue), so the
    /// next batch is queued before the senders of this one are resumed.
    private func finish(_ batch: [Waiting], room: IntakeHandoff?, result: Result<IntakeCommit, any Error>) {
        // Committed jobs in flight are this instance's to send, whatever the answer below.
        if let room { handoff?.finish(room, handedOff: (try? result.get())?.handedOff ?? []) }
        let outcome = result.flatMap { commit -> Result<[IntakeReceipt], any Error> in
            // A commit into a deleted or replaced file is lost at the next restart: no 202 for it.
            if let problem = health?.fileProblem { return .failure(StoreError(path: store.location, reason: problem)) }
            // Every sender gets an answer: a store that returned too few receipts failed the batch.
            guard commit.receipts.count == batch.count else {
                return .failure(StoreError(path: store.location, reason: "the commit returned \(commit.receipts.count) receipts for \(batch.count) events"))
            }
            return .success(commit.receipts)
        }
        switch outcome {
        case .success:
            health?.record(.success(()))
            onCommit(.success(batch.count))
        case .failure(let error):
            health?.record(.failure(error))
            onCommit(.failure(error))
        }
        let (next, failedBehind) = batching.withLock { $0.finish(batch, failed: (try? outcome.get()) == nil) }
        start(next)
        switch outcome {
        case .success(let receipts):
            resume(zip(batch, receipts).map { ($0, .success($1)) })
        case .failure(let error):
            resume((batch + failedBehind).map { ($0, .failure(error)) })
        }
    }

    /// Resumes the senders, each on its connection's event loop if it named one: one task per
    /// loop resumes all of that loop's senders.
    private func resume(_ results: [(Waiting, Result<IntakeReceipt, any Error>)]) {
        var byLoop: [ObjectIdentifier: (loop: any EventLoop, results: [(Waiting, Result<IntakeReceipt, any Error>)])] = [:]
        for (waiting, result) in results {
            guard let loop = waiting.eventLoop else {
                waiting.continuation.resume(with: result)
                continue
            }
            byLoop[ObjectIdentifier(loop), default: (loop, [])].results.append((waiting, result))
        }
        for (loop, results) in byLoop.values {
            loop.execute {
                for (waiting, result) in results { waiting.continuation.resume(with: result) }
            }
        }
    }
}
