import Foundation
import Testing
@testable import OutcomeDaemon

/// The call id in the PATCH URL: one path segment, whatever it holds.
@Suite(.timeLimit(.minutes(2)))
struct CallPathTests {
    static let cases: [(callID: String, segment: String)] = [
        (".", "%2E"), ("..", "%2E%2E"), ("...", "..."), ("a.b", "a.b"), ("a/b", "a%2Fb"), ("a?b", "a%3Fb"),
        ("%", "%25"), ("a b", "a%20b"), ("ü日", "%C3%BC%E6%97%A5"), ("-._~", "-._~"),
    ]

    @Test(arguments: cases)
    func aCallIDIsEncodedAsOneSegment(callID: String, segment: String) {
        #expect(DeliverySettings.encodeSegment(callID) == segment)
    }

    @Test func everyCallIDReachesItsOwnURL() async throws {
        let mock = try await MockServer()
        let harness = try DeliveryHarness(mock: mock)
        let receipts = try Self.cases.map { try harness.enqueue($0.callID, "interested") }
        try await harness.withWorker { _ in
            try await harness.waitUntil {
                try await harness.jobs(receipts.map(\.jobID)).allSatisfy { [.done, .dead].contains($0?.state) }
            }
        }
        for ((callID, segment), receipt) in zip(Self.cases, receipts) {
            let job = try #require(try await harness.job(receipt.jobID))
            #expect(job.state == .done, "call id \(callID): \(job.lastStatus.map(String.init) ?? "-") \(job.lastError ?? "")")
            let requests = try await mock.requests(callID: callID)
            #expect(requests.map(\.path) == ["/api/v1/webhooks/calls/\(segment)/change-outcome"], "call id \(callID)")
        }
    }
}
