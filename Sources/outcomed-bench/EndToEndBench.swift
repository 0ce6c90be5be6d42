import ArgumentParser
import Foundation
import Logging
import OutcomeDaemon

/// SPEC §9 "decision to PATCH": events offered at a fixed rate, open loop, each timed from its
/// POST to the mock's receipt of its PATCH.
///
/// Open loop: request `i` is due at `start + i / rate` on the monotonic clock and is sent at
/// that time whether or not earlier ones were answered (`OpenLoopGenerator`: an idle
/// connection or a new one, so nothing waits for a free connection). The rate
/// the generator achieved is judged from when the requests were actually sent, so a generator
/// that cannot keep up (a busy machine) shows as `e2e_rate_achieved` below `e2e_rate`, and
/// `make bench` then calls the measurement invalid.
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

    @Option(help: "Seconds to wait, after the last POST, for the PATCHes still to come.")
    var drainSeconds = 30

    @Option(help: "Prefix of the call ids.")
    var prefix = "e2e"

    @Option(help: "A CSV file to write each event's timings to (seconds after the start; milliseconds).")
    var samples: String?

    /// One POST: when it was due and sent (seconds after the start, monotonic), when it was
    /// sent on the wall clock the mock also stamps with, and its status (0: no answer).
    struct Sent: Sendable {
        var callID: String
        var due: Double
        var sent: Double
        var sentWall: Double
        var status: Int
        var answered: Double
    }

    /// The requests the mock has received so far, of every kind.
    private func mockRequestCount(_ client: CurlClient) async throws -> Int {
        let answer = try await client.send(.init(method: "GET", url: mock + "/-/stats", headers: [], body: []))
        guard let stats = try JSONSerialization.jsonObject(with: Data(answer.body)) as? [String: Any], let count = stats["requests"] as? Int else {
            throw ValidationError("\(mock)/-/stats did not answer with a request count")
        }
        return count
    }

    func validate() throws {
        guard rate > 0, seconds > 0 else { throw ValidationError("--rate and --seconds must be positive") }
    }

    func run() async throws {
        guard let components = URLComponents(string: url), components.host == "127.0.0.1", let port = components.port else {
            throw ValidationError("--url must be http://127.0.0.1:PORT: the load only ever targets this machine")
        }
        let client = CurlClient(timeout: .seconds(30), maxConnections: 16, maxBodyBytes: 256 << 20, logger: Logger(label: "bench"))
        defer { client.shutdown() }
        let clock = ContinuousClock()
        let total = rate * seconds
        let before = try await mockRequestCount(client)
        let generator = OpenLoopGenerator(port: port, path: components.path + "/v1/events")
        let prefix = prefix
        let rate = rate
        // The generator blocks its thread for the whole load, so it gets one of its own.
        let outcome = try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<OpenLoopGenerator.Outcome, Error>) in
            Thread {
                continuation.resume(with: Result {
                    try generator.run(total: total, rate: rate, answerTimeout: 30) { index in
                        #"{"data":{"id":"\#(prefix)-\#(index)","is_lead":true,"call_outcome":"","chat":"AI: Hello, is this Sam?\nUser: Yes, sure, that sounds good."}}"#
                    }
                })
            }.start()
        }
        let sent = (0..<total).map { index in
            Sent(
                callID: "\(prefix)-\(index)", due: outcome.due[index], sent: outcome.sent[index], sentWall: outcome.sentWall[index],
                status: outcome.status[index], answered: outcome.answered[index]
            )
        }
        // The span the generator took to send them all: (total - 1) / rate when on schedule.
        let lastSent = sent.map(\.sent).max() ?? 0
        let achieved = Double(total) / (lastSent + 1 / Double(rate))
        let lags = sent.map { ($0.sent - $0.due) * 1000 }.sorted()
        let accepted = sent.filter { $0.status == 202 }
        var received: [String: Double] = [:]
        let deadline = clock.now + .seconds(drainSeconds)
        // The mock's list of requests takes it a second or two to write (JSONSerialization, one
        // event loop busy), and PATCHes on that loop wait meanwhile: so the list is fetched once
        // its count says every PATCH has come, and the count alone is polled until then.
        while try await mockRequestCount(client) < before + accepted.count && clock.now < deadline {
            try await Task.sleep(for: .milliseconds(50))
        }
        while received.count < accepted.count && clock.now < deadline {
            let answer = try await client.send(.init(method: "GET", url: mock + "/-/requests", headers: [], body: []))
            let object = try JSONSerialization.jsonObject(with: Data(answer.body)) as? [String: Any]
            for request in object?["requests"] as? [[String: Any]] ?? [] {
                guard let call = request["call_id"] as? String, call.hasPrefix(prefix + "-"), let at = request["at"] as? Double else { continue }
                received[call] = min(received[call] ?? at, at)
            }
            if received.count < accepted.count { try await Task.sleep(for: .milliseconds(250)) }
        }
        // Every event offered counts: one not accepted or never delivered is slower than any
        // delivered, so a percentile that falls on one is reported as -1 (and never passes).
        let perEvent = sent.map { item -> Double in
            guard item.status == 202, let at = received[item.callID] else { return .infinity }
            // From when the POST was due, not sent: time it waited for the generator counts too.
            return (at - (item.sentWall - (item.sent - item.due))) * 1000
        }
        let latencies = perEvent.sorted()
        func percentile(_ values: [Double], _ p: Double) -> Double {
            guard !values.isEmpty else { return -1 }
            let value = values[min(values.count - 1, Int(Double(values.count) * p))]
            return value.isFinite ? (value * 100).rounded() / 100 : -1
        }
        let delivered = latencies.filter(\.isFinite).count
        if let samples {
            var csv = "sent_s,answer_ms,patch_ms\n"
            for (item, patch) in zip(sent, perEvent).sorted(by: { $0.0.sent < $1.0.sent }) {
                csv += "\(item.sent),\((item.answered - item.sent) * 1000),\(patch.isFinite ? "\(patch)" : "")\n"
            }
            try csv.write(toFile: samples, atomically: true, encoding: .utf8)
        }
        print(
            #"{"e2e_p50_ms": \#(percentile(latencies, 0.5)), "e2e_p99_ms": \#(percentile(latencies, 0.99)), "e2e_max_ms": \#(percentile(latencies, 1)), "#
                + #""e2e_rate": \#(rate), "e2e_rate_achieved": \#((achieved * 10).rounded() / 10), "e2e_send_lag_p99_ms": \#(percentile(lags, 0.99)), "#
                + #""e2e_offered": \#(total), "e2e_accepted": \#(accepted.count), "e2e_delivered": \#(delivered)}"#
        )
    }
}
