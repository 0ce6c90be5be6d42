@testable import OutcomeDaemon

/// The two halves of a delivery round, for tests that drive claims and results apart. Both go
/// through `settle`, the one call delivery makes, so the tests exercise the production path.
extension QueueStore {
    /// A round with no results to record: claims up to `limit` due jobs.
    func claimDue(limit: Int, now: Int64, owner: String, leaseUntil: Int64) async throws -> [Job] {
        try await settle([], claimLimit: limit, now: now, owner: owner, leaseUntil: leaseUntil).jobs
    }

    /// A round that claims nothing: records `results`.
    func complete(_ results: [JobResult], now: Int64, owner: String) async throws {
        _ = try await settle(results, claimLimit: 0, now: now, owner: owner, leaseUntil: now)
    }
}
