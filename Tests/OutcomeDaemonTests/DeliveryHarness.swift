import Foundation
import Logging
import OutcomeEngine
import TestSupport
@testable import OutcomeDaemon

/// A store in a temporary directory and a delivery worker pointed at a mock.
final class DeliveryHarness: @unchecked Sendable {
    let directory: TemporaryDirectory
    let store: SQLiteQueueStore
    let mock: MockServer
    let client: CurlClient
    var settings: DeliverySettings

    init(mock: MockServer, timeout: Duration = .seconds(2), retry: RetryConfig = DeliveryHarness.fastRetry) throws {
        directory = try TemporaryDirectory()
        store = try SQLiteQueueStore(path: directory.path + "/queue.sqlite")
        self.mock = mock
        client = CurlClient(timeout: timeout, maxConnections: 4, logger: Logger(label: "test"))
        settings = DeliverySettings(
            baseURL: mock.baseURL, token: MockServer.token, timeout: timeout, concurrency: 4, rateLimit: 0,
            retry: RetryPolicy(retry), dryRun: false, retention: .seconds(86400)
        )
    }

    deinit {
        client.shutdown()
    }

    static var fastRetry: RetryConfig {
        var retry = RetryConfig()
        retry.initialDelay = .milliseconds(50)
        retry.maxDelay = .milliseconds(400)
        retry.maxAttempts = 12
        retry.maxAge = .seconds(60)
        return retry
    }

    @discardableResult
    func enqueue(_ callID: String, _ outcome: String, key: String? = nil) throws -> IntakeReceipt {
        let record = IntakeRecord(
            idempotencyKey: key ?? UUID().uuidString, callID: callID, body: Array("{}".utf8),
            decision: Decision(action: .queued, outcome: outcome, rule: "test")
        )
        return try store.record([record], now: WallClock.milliseconds())[0]
    }

    /// Runs a worker while `body` runs, then shuts it down.
    func withWorker<T>(releasingInFlightAtStart: Bool = true, _ body: (DeliveryWorker) async throws -> T) async throws -> T {
        let worker = DeliveryWorker(
            store: store, client: client, settings: settings, logger: Logger(label: "worker"), releasesInFlightAtStart: releasingInFlightAtStart
        )
        let task = Task { try await worker.run() }
        do {
            let result = try await body(worker)
            task.cancel()
            _ = try? await task.value
            return result
        } catch {
            task.cancel()
            _ = try? await task.value
            throw error
        }
    }

    func job(_ id: Int64?) async throws -> Job? {
        guard let id else { return nil }
        return try await store.job(id)
    }

    /// The jobs of `ids`, in order (nil for a missing id or job).
    func jobs(_ ids: [Int64?]) async throws -> [Job?] {
        var jobs: [Job?] = []
        for id in ids { jobs.append(try await job(id)) }
        return jobs
    }

    struct Timeout: Error, CustomStringConvertible {
        var location: String
        var description: String { "condition at \(location) did not hold in time" }
    }

    /// Polls `condition` until it holds; throws when `timeout` passes first.
    func waitUntil(
        timeout: Duration = .seconds(15),
        fileID: String = #fileID, line: Int = #line,
        _ condition: () async throws -> Bool
    ) async throws {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            if try await condition() { return }
            try await Task.sleep(for: .milliseconds(20))
        }
        if try await condition() { return }
        throw Timeout(location: "\(fileID):\(line)")
    }
}
