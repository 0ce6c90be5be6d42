import Synchronization

/// Group commit for intake: records that arrive while a commit is running are committed
/// together in the next transaction, so one fsync covers many events, on either store.
///
/// When a commit fails, the records that queued up behind it fail with it: they would meet the
/// same lock or full disk, and a sender waits at most one busy timeout, not one per batch.
public final class IntakeWriter: Sendable {
    private struct Waiting {
        var record: IntakeRecord
        var continuation: CheckedContinuation<IntakeReceipt, Error>
        var arrived: ContinuousClock.Instant
    }

    private struct State: ~Copyable {
        var waiting: [Waiting] = []
        var flushing = false
    }

    private let store: any QueueStore
    private let health: StoreHealth?
    private let state = Mutex(State())
    private let maxBatch: Int
    private let onCommit: @Sendable (Result<Int, Error>) -> Void

    /// Creates a writer; `health` hears how each commit went and vetoes commits to a store
    /// file that was deleted or replaced; `onCommit` hears each batch's size or failure.
    public init(store: any QueueStore, health: StoreHealth? = nil, maxBatch: Int = 512, onCommit: @escaping @Sendable (Result<Int, Error>) -> Void = { _ in }) {
        self.store = store
        self.health = health
        self.maxBatch = maxBatch
        self.onCommit = onCommit
    }

    /// Commits `record` durably (with whatever else is waiting) and returns its receipt.
    public func commit(_ record: IntakeRecord) async throws -> IntakeReceipt {
        try await withCheckedThrowingContinuation { continuation in
            let startFlush = state.withLock { state -> Bool in
                state.waiting.append(Waiting(record: record, continuation: continuation, arrived: .now))
                guard !state.flushing else { return false }
                state.flushing = true
                return true
            }
            if startFlush {
                Task { await self.flush() }
            }
        }
    }

    private func flush() async {
        while true {
            let batch = state.withLock { state -> [Waiting] in
                guard !state.waiting.isEmpty else {
                    state.flushing = false
                    return []
                }
                let count = min(maxBatch, state.waiting.count)
                let batch = Array(state.waiting.prefix(count))
                state.waiting.removeFirst(count)
                return batch
            }
            guard !batch.isEmpty else { return }
            do {
                let oldest = batch.map(\.arrived).min() ?? .now
                let receipts = try await store.commit(batch.map(\.record), now: WallClock.milliseconds(), deadline: oldest + store.busyTimeout)
                // A commit into a deleted or replaced file is lost at the next restart: no 202 for it.
                if let problem = health?.fileProblem { throw StoreError(path: store.location, reason: problem) }
                health?.record(.success(()))
                onCommit(.success(batch.count))
                for (waiting, receipt) in zip(batch, receipts) { waiting.continuation.resume(returning: receipt) }
            } catch {
                health?.record(.failure(error))
                onCommit(.failure(error))
                let queuedBehind = state.withLock { state -> [Waiting] in
                    defer { state.waiting.removeAll() }
                    return state.waiting
                }
                for waiting in batch + queuedBehind { waiting.continuation.resume(throwing: error) }
            }
        }
    }
}
