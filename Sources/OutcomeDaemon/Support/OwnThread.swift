import Foundation

/// Runs blocking work (a back-test reading its input synchronously) on a thread of its own and
/// waits for it without holding a thread of the concurrency pool, which the work may need.
public func onOwnThread<T: Sendable>(_ work: @escaping @Sendable () throws -> T) async throws -> T {
    try await withCheckedThrowingContinuation { continuation in
        Thread.detachNewThread { continuation.resume(with: Result { try work() }) }
    }
}
