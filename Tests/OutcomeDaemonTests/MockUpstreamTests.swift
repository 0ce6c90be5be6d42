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

    /// The mock writes a PATCH's answer by hand; whatever the call and outcome hold, the answer
    /// is the API's JSON with both carried exactly.
    @Test(arguments: [
        ("c-plain", "interested"),
        (#"c-"quoted"\back"#, #"out"come\"#),
        ("c-\u{1}\u{1f}\t\n\r", "line\nbreak\u{0}"),
        ("c-ü-通話-📞", "très intéressé"),
        ("c-a/b", "a/b </script>"),
    ])
    func aSuccessfulPatchIsAnsweredWithTheCallAndItsOutcome(callID: String, outcome: String) async throws {
        let mock = try await MockServer()
        let answer = try await Self.patch(mock, callID, body: ["call_outcome": outcome])
        #expect(answer.status == 200)
        let data = try Self.data(of: answer)
        #expect(data["id"] as? String == callID)
        #expect(data["call_outcome"] as? String == outcome)
        #expect(data["status"] as? String == "completed")
        #expect(data["to_number"] as? Int == 15551234567)
        #expect(data["events_count"] as? String == "14")
        #expect(Set(data.keys) == ["id", "call_outcome", "status", "to_number", "events_count"])
    }

    /// A scripted success is answered as a real one; a PATCH without a string outcome is refused.
    @Test func aScriptedSuccessCarriesTheCallAndAMissingOutcomeIsRefused() async throws {
        let mock = try await MockServer()
        try await mock.script("c-scripted", [["status": 201]])
        let scripted = try await Self.patch(mock, "c-scripted", body: ["call_outcome": "callback"])
        #expect(scripted.status == 201)
        let data = try Self.data(of: scripted)
        #expect(data["id"] as? String == "c-scripted" && data["call_outcome"] as? String == "callback")
        #expect(try await Self.patch(mock, "c-none", body: [:]).status == 422)
        #expect(try await Self.patch(mock, "c-number", body: ["call_outcome": 7]).status == 422)
    }

    /// PATCHes `callID`'s outcome endpoint with `body` as JSON, the call id percent-encoded.
    static func patch(_ mock: MockServer, _ callID: String, body: [String: Any]) async throws -> UpstreamResponse {
        let client = CurlClient(timeout: .seconds(5), maxConnections: 1, logger: Logger(label: "answer"))
        defer { client.shutdown() }
        let unreserved = CharacterSet(charactersIn: "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-._~")
        let path = callID.addingPercentEncoding(withAllowedCharacters: unreserved) ?? ""
        return try await client.send(.init(
            method: "PATCH", url: mock.baseURL + "/webhooks/calls/\(path)/change-outcome",
            headers: ["Authorization: Bearer \(MockServer.token)", "Content-Type: application/json"],
            body: Array(try JSONSerialization.data(withJSONObject: body))
        ))
    }

    /// The `data` object of an answer, which must parse as JSON.
    static func data(of answer: UpstreamResponse) throws -> [String: Any] {
        let object = try JSONSerialization.jsonObject(with: Data(answer.body)) as? [String: Any]
        return try #require(object?["data"] as? [String: Any], "\(String(decoding: answer.body, as: UTF8.self))")
    }
}
