import Foundation
import Testing
@testable import OutcomeDaemon

/// What is kept of an upstream's error answer: never the credentials it may echo.
@Suite(.timeLimit(.minutes(2)))
struct UpstreamErrorTests {
    @Test(arguments: [(422, JobState.dead), (503, JobState.pending)])
    func anEchoedTokenIsRedactedFromLastError(status: Int, state: JobState) async throws {
        let mock = try await MockServer()
        var retry = DeliveryHarness.fastRetry
        retry.initialDelay = .seconds(30)
        retry.maxDelay = .seconds(30)
        let harness = try DeliveryHarness(mock: mock, retry: retry)
        let callID = "echo-\(status)"
        try await mock.script(callID, [["status": status, "echo_headers": true]])
        let receipt = try harness.enqueue(callID, "interested")
        try await harness.withWorker { _ in
            try await harness.waitUntil { try await harness.job(receipt.jobID).map { $0.state == state && $0.attempts == 1 } ?? false }
        }
        let job = try #require(try await harness.job(receipt.jobID))
        let error = try #require(job.lastError)
        #expect(job.lastStatus == status)
        #expect(error.contains("[redacted]"), "the echo reached last_error: \(error)")
        #expect(!error.contains(MockServer.token), "\(error)")
        #expect(!error.contains(String(MockServer.token.prefix(6))), "\(error)")
    }

    @Test func aTokenCutByThe512ByteLimitLeavesNoPart() async throws {
        let mock = try await MockServer()
        let harness = try DeliveryHarness(mock: mock)
        // The body is sent as given: the token starts at byte 507 and the excerpt ends at 512.
        let text = String(repeating: "x", count: 507) + MockServer.token + " is not a call"
        try await mock.script("echo-cut", [["status": 422, "body": text]])
        let receipt = try harness.enqueue("echo-cut", "interested")
        try await harness.withWorker { _ in
            try await harness.waitUntil { try await harness.job(receipt.jobID)?.state == .dead }
        }
        let error = try #require(try await harness.job(receipt.jobID)?.lastError)
        #expect(error.utf8.count == "HTTP 422: ".utf8.count + 512)
        #expect(!error.contains(String(MockServer.token.prefix(5))), "\(error)")
    }
}
