import Foundation
import OutcomeDaemon
import TestSupport

extension Daemon {
    /// Queues scripted answers at the mock for one call.
    func scriptMock(_ callID: String, _ responses: [[String: Any]]) async throws {
        let body = try JSONSerialization.data(withJSONObject: ["call_id": callID, "responses": responses])
        let response = try await client.send(.init(method: "POST", url: mockURL + "/-/faults", headers: [], body: Array(body)))
        guard response.status == 200 else { throw DaemonError.timeout("the mock refused the script: \(String(decoding: response.body, as: UTF8.self))") }
    }

    /// The PATCHes the mock received for one call.
    func mockRequests(call: String) async throws -> [[String: Any]] {
        let query = DeliverySettings.encodeSegment(call)
        let response = try await client.send(.init(method: "GET", url: mockURL + "/-/requests?call_id=" + query, headers: [], body: []))
        let object = try JSONSerialization.jsonObject(with: Data(response.body)) as? [String: Any]
        return object?["requests"] as? [[String: Any]] ?? []
    }

    /// A PATCH as the mock recorded it.
    struct MockRequest: Sendable {
        var callID: String
        var status: Int
        var outcome: String?
        /// When it arrived, in Unix seconds.
        var at: Double
    }

    /// The PATCHes the mock received, for one call or all, in order of arrival.
    func mockRequests(callID: String?) async throws -> [MockRequest] {
        let query = callID.map { "?call_id=" + DeliverySettings.encodeSegment($0) } ?? ""
        let response = try await client.send(.init(method: "GET", url: mockURL + "/-/requests" + query, headers: [], body: []))
        let object = try JSONSerialization.jsonObject(with: Data(response.body)) as? [String: Any]
        return (object?["requests"] as? [[String: Any]] ?? []).map {
            MockRequest(callID: $0["call_id"] as? String ?? "", status: $0["status"] as? Int ?? 0, outcome: $0["outcome"] as? String, at: $0["at"] as? Double ?? 0)
        }
    }

    /// Makes every unscripted answer of the mock wait `milliseconds`.
    func mockDelay(milliseconds: Int) async throws {
        let response = try await client.send(.init(method: "POST", url: mockURL + "/-/delay", headers: [], body: Array(#"{"delay_ms":\#(milliseconds)}"#.utf8)))
        guard response.status == 200 else { throw DaemonError.timeout("the mock refused the delay") }
    }

    /// The mock's counters (`requests`, `ok`, `overlaps`).
    func mockStats() async throws -> [String: Any] {
        let response = try await client.send(.init(method: "GET", url: mockURL + "/-/stats", headers: [], body: []))
        return (try JSONSerialization.jsonObject(with: Data(response.body)) as? [String: Any]) ?? [:]
    }

    /// Waits until the log holds `text`.
    func waitForLog(_ text: String, timeout: Duration = .seconds(10)) async throws {
        let deadline = ContinuousClock.now + timeout
        while !log.contains(text) {
            guard ContinuousClock.now < deadline else { throw DaemonError.timeout("no \"\(text)\" in the log:\n\(log.suffix(2000))") }
            try await Task.sleep(for: .milliseconds(25))
        }
    }

    /// Waits until the newest job of `call`, as `queue list --json` prints it, satisfies `condition`.
    func waitForJob(call: String, timeout: Duration = .seconds(30), _ condition: ([String: Any]) -> Bool) async throws -> [String: Any] {
        let deadline = ContinuousClock.now + timeout
        while true {
            let listed = try await Command.run("outcomed", ["queue", "list", "--db", storePath, "--call", call, "--json"]).stdout
            let job = ((try? JSONSerialization.jsonObject(with: Data(listed.utf8))) as? [[String: Any]])?.first
            if let job, condition(job) { return job }
            guard ContinuousClock.now < deadline else { throw DaemonError.timeout("job of \(call): \(listed)\n\(log.suffix(2000))") }
            try await Task.sleep(for: .milliseconds(100))
        }
    }
}

/// Waits until `condition` holds, checking every 50 ms; throws after `timeout`.
func waitUntil(_ timeout: Duration, _ condition: () async throws -> Bool) async throws {
    let deadline = ContinuousClock.now + timeout
    while try await !condition() {
        guard ContinuousClock.now < deadline else { throw Daemon.DaemonError.timeout("condition not met within \(timeout)") }
        try await Task.sleep(for: .milliseconds(50))
    }
}
