import ArgumentParser
import Foundation
import Logging
import OutcomeDaemon

/// SPEC §9 "decision to PATCH": events offered at a fixed rate (open loop), each timed from
/// its POST to the mock's receipt of its PATCH.
struct EndToEndBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "e2e", abstract: "Latency from POST to PATCH at a fixed rate.")

    @Option(help: "outcomed's base URL.")
    var url = "http://127.0.0.1:8787"

    @Option(help: "outcome-api-mock's base URL.")
    var mock = "http://127.0.0.1:8788"

    @Option(help: "Events per second offered.")
    var rate = 1000

    @Option(help: "Seconds of load.")
    var seconds = 10

    @Option(help: "Prefix of the call ids.")
    var prefix = "e2e"

    func run() async throws {
        let client = CurlClient(timeout: .seconds(30), maxConnections: 256, maxBodyBytes: 256 << 20, logger: Logger(label: "bench"))
        defer { client.shutdown() }
        let total = rate * seconds
        let start = Date()
        let statuses = try await withThrowingTaskGroup(of: (String, Double, Int).self) { group in
            for index in 0..<total {
                let due = start.addingTimeInterval(Double(index) / Double(rate))
                let wait = due.timeIntervalSinceNow
                if wait > 0 { try await Task.sleep(for: .milliseconds(Int64(wait * 1000))) }
                let callID = "\(prefix)-\(index)"
                group.addTask {
                    let sent = Date().timeIntervalSince1970
                    let body = #"{"data":{"id":"\#(callID)","is_lead":true,"call_outcome":"","chat":"AI: Hello, is this Sam?\nUser: Yes, sure, that sounds good."}}"#
                    let response = try await client.send(.init(method: "POST", url: url + "/v1/events", headers: ["Content-Type: application/json"], body: Array(body.utf8)))
                    return (callID, sent, response.status)
                }
            }
            var results: [(String, Double, Int)] = []
            for try await result in group { results.append(result) }
            return results
        }
        let accepted = statuses.filter { $0.2 == 202 }
        var received: [String: Double] = [:]
        let deadline = Date().addingTimeInterval(60)
        while received.count < accepted.count && Date() < deadline {
            let answer = try await client.send(.init(method: "GET", url: mock + "/-/requests", headers: [], body: []))
            let object = try JSONSerialization.jsonObject(with: Data(answer.body)) as? [String: Any]
            for request in object?["requests"] as? [[String: Any]] ?? [] {
                guard let call = request["call_id"] as? String, call.hasPrefix(prefix + "-"), let at = request["at"] as? Double else { continue }
                received[call] = min(received[call] ?? at, at)
            }
            if received.count < accepted.count { try await Task.sleep(for: .milliseconds(500)) }
        }
        let latencies = accepted.compactMap { item in received[item.0].map { ($0 - item.1) * 1000 } }.sorted()
        func percentile(_ p: Double) -> Double {
            guard !latencies.isEmpty else { return -1 }
            return latencies[min(latencies.count - 1, Int(Double(latencies.count) * p))]
        }
        let offered = Double(total) / Date().timeIntervalSince(start)
        print(#"{"e2e_p50_ms": \#(round(percentile(0.5) * 100) / 100), "e2e_p99_ms": \#(round(percentile(0.99) * 100) / 100), "e2e_offered": \#(total), "e2e_accepted": \#(accepted.count), "e2e_delivered": \#(latencies.count), "e2e_rate_achieved": \#(Int(offered))}"#)
    }
}
