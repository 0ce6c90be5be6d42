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
        let daemon = try Daemon()
        try await daemon.start()
        let deadline = ContinuousClock.now + .seconds(10)
        while try await Self.sample(daemon, #"outcomed_queue_jobs{state="dead"}"#) != 0 {
            guard ContinuousClock.now < deadline else { Issue.record("no dead-jobs gauge at 0"); return }
            try await Task.sleep(for: .milliseconds(50))
        }
    }

    @Test func aFailedReloadLeavesTheReloadTimestampWhereTheLastSuccessPutIt() async throws {
        let daemon = try Daemon()
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
}
