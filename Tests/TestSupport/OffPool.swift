import Foundation

/// Runs blocking work (a child's exit, a pipe read) on a thread of its own. The suites run in
/// parallel on as many pool threads as there are cores (two here): one test that blocks a pool
/// thread for seconds (waiting for a lock holder to exit) stalls every other test's `await`,
/// and its timings then measure the wait for a thread, not the daemon.
public func offPool<T: Sendable>(_ work: @escaping @Sendable () throws -> T) async throws -> T {
    try await withCheckedThrowingContinuation { continuation in
        Thread.detachNewThread { continuation.resume(with: Result { try work() }) }
    }
}

extension Process {
    /// Waits for the process to exit without holding a pool thread.
    public func exited() async {
        _ = try? await offPool { self.waitUntilExit() }
    }
}
