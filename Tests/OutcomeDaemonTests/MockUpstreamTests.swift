import Foundation
import Logging
import Testing
@testable import OutcomeDaemon

/// The mock's slow mode and its overlap count, which the multi-instance tests rely on to show
/// that one call's PATCHes never overlap: the count must see an overlap when there is one.
struct MockUpstreamTests {
    @Test func aSlowUpstreamCountsOverlappingPatchesForOneCall() async throws {
        let mock = try await MockServer()
        try await mock.control("POST", "/-/delay", ["delay_ms": 300])
        let client = CurlClient(timeout: .seconds(5), maxConnections: 4, logger: Logger(label: "overlap"))
        defer { client.shutdown() }
        func patch(_ callID: String) async throws -> Int {
            try await client.send(.init(
                method: "PATCH", url: mock.baseURL + "/webhooks/calls/\(callID)/change-outcome",
                headers: ["Authorization: Bearer \(MockServer.token)", "Content-Type: application/json"],
                body: Array(#"{"call_outcome":"interested"}"#.utf8)
            )).status
        }
        let started = ContinuousClock.now
        async let first = patch("c-same")
        async let second = patch("c-same")
        async let other = patch("c-other")
        #expect(try await [first, second, other] == [200, 200, 200])
        #expect(ContinuousClock.now - started >= .milliseconds(300), "every answer waited")
        let stats = try await mock.control("GET", "/-/stats")
        #expect(stats["overlaps"] as? Int == 1, "two PATCHes of c-same at once, one of c-other: \(stats)")
        #expect(stats["delay_ms"] as? Int == 300)
        try await mock.control("POST", "/-/delay", ["delay_ms": 0])
        #expect(try await patch("c-same") == 200)
        #expect(try await mock.control("GET", "/-/stats")["overlaps"] as? Int == 1, "one after another is no overlap")
    }
}
