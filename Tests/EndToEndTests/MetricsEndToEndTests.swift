import Foundation
import Testing
import OutcomeDaemon

/// What the shipped alerts read from `/metrics`, through the real `outcomed serve`.
@Suite(.serialized, .timeLimit(.minutes(2)))
struct MetricsEndToEndTests {
    static func sample(_ daemon: Daemon, _ series: String) async throws -> Double? {
        let text = String(decoding: try await daemon.get("/metrics").body, as: UTF8.self)
        let line = text.split(separator: "\n").first { $0.hasPrefix(series + " ") }
        return line.flatMap { Double($0.split(separator: " ").last ?? "") }
    }

    @Test func theDeadJobsGaugeIsThereAtZeroBeforeTheFirstDeadLetter() async throws {
        let daemon = try await Daemon()
        try await daemon.start()
        let deadline = ContinuousClock.now + .seconds(10)
        while try await Self.sample(daemon, #"outcomed_queue_jobs{state="dead"}"#) != 0 {
            guard ContinuousClock.now < deadline else { Issue.record("no dead-jobs gauge at 0"); return }
            try await Task.sleep(for: .milliseconds(50))
        }
    }

    @Test func aFailedReloadLeavesTheReloadTimestampWhereTheLastSuccessPutIt() async throws {
        let daemon = try await Daemon()
        try await daemon.start()
        let timestamp = "outcomed_config_last_reload_timestamp_seconds"
        let started = try #require(try await Self.sample(daemon, timestamp))

        let good = try String(contentsOfFile: daemon.configPath, encoding: .utf8)
        try (good + "\n  - name: broken\n    outcme: callback\n").write(toFile: daemon.configPath, atomically: true, encoding: .utf8)
        daemon.signal(SIGHUP)
        try await daemon.waitForLog("event=config_reload_failed")
        #expect(try await Self.sample(daemon, "outcomed_config_last_reload_successful") == 0)
        #expect(try await Self.sample(daemon, timestamp) == started)

        try good.write(toFile: daemon.configPath, atomically: true, encoding: .utf8)
        daemon.signal(SIGHUP)
        try await daemon.waitForLog("reload=true")
        #expect(try await Self.sample(daemon, "outcomed_config_last_reload_successful") == 1)
        #expect(try #require(try await Self.sample(daemon, timestamp)) > started)
    }

    @Test func everyMetricTheDashboardQueriesIsOneServeExposes() async throws {
        let daemon = try await Daemon(retry: "initial_delay: 100ms\n    max_delay: 1s\n    max_attempts: 1")
        try await daemon.start()
        try await daemon.scriptMock("dash-dead", [["status": 404]])
        for call in ["dash-done", "dash-dead"] { #expect(try await daemon.post(Daemon.event(call)).status == 202) }
        #expect(try await daemon.post("{}").status == 422)
        _ = try await daemon.waitForJob(call: "dash-dead") { $0["state"] as? String == "dead" }
        _ = try await daemon.waitForJob(call: "dash-done") { $0["state"] as? String == "done" }

        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let dashboard = try String(contentsOf: root.appendingPathComponent("config/grafana-dashboard.json"), encoding: .utf8)
        let object = try JSONSerialization.jsonObject(with: Data(dashboard.utf8)) as? [String: Any]
        let panels = object?["panels"] as? [[String: Any]] ?? []
        let expressions = panels.flatMap { ($0["targets"] as? [[String: Any]] ?? []).compactMap { $0["expr"] as? String } }
        #expect(panels.count >= 10)
        let used = Set(expressions.flatMap { expression in
            expression.matches(of: /outcomed_[a-z_]+/).map { String($0.output) }
        })
        #expect(used.count >= 8)

        let exposition = String(decoding: try await daemon.get("/metrics").body, as: UTF8.self)
        let exposed = Set(exposition.split(separator: "\n").filter { !$0.hasPrefix("#") }.compactMap { line in
            line.prefixMatch(of: /outcomed_[a-z_]+/).map { String($0.output) }
        })
        #expect(used.subtracting(exposed).isEmpty, "queried but not exposed: \(used.subtracting(exposed).sorted())")
        for family in ["outcomed_events_total", "outcomed_decisions_total", "outcomed_deliveries_total", "outcomed_delivery_duration_seconds_bucket",
                       "outcomed_queue_jobs", "outcomed_queue_oldest_pending_age_seconds", "outcomed_circuit_open",
                       "outcomed_config_last_reload_successful", "outcomed_config_last_reload_timestamp_seconds"] {
            #expect(used.contains(family), "the dashboard does not show \(family)")
        }
    }
}
