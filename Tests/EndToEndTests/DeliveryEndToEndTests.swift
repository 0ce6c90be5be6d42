import Foundation
import Testing
import OutcomeDaemon
import TestSupport

/// Delivery settings and upstream answers, through the real `outcomed serve` and the mock.
@Suite(.serialized, .timeLimit(.minutes(3)))
struct DeliveryEndToEndTests {
    static let retry = "initial_delay: 100ms\n    max_delay: 1s"

    @Test func aReloadedTimeoutAppliesToTheNextPatch() async throws {
        let daemon = try await Daemon()
        daemon.apiTimeout = "1s"
        try daemon.writeConfig(server: "", rules: Daemon.rules, maxBody: "64KiB", retry: Self.retry)
        try await daemon.start()
        daemon.apiTimeout = "6s"
        try daemon.writeConfig(server: "", rules: Daemon.rules, maxBody: "64KiB", retry: Self.retry)
        daemon.signal(SIGHUP)
        try await daemon.waitForLog("reload=true")

        try await daemon.scriptMock("slow", Array(repeating: ["delay_ms": 2500, "status": 200], count: 3))
        #expect(try await daemon.post(Daemon.event("slow")).status == 202)
        let job = try await daemon.waitForJob(call: "slow") { $0["state"] as? String == "done" }
        #expect(job["attempts"] as? Int == 1, "\(job)\n\(daemon.log.suffix(1500))")
        #expect(try await daemon.mockRequests(call: "slow").count == 1)
        #expect(!daemon.log.contains("event=retry_scheduled"))
    }

    @Test func anUpstreamThatEchoesTheTokenNeverGetsItIntoTheQueueOrTheLog() async throws {
        let daemon = try await Daemon(retry: Self.retry + "\n    max_attempts: 2")
        try await daemon.start()
        try await daemon.scriptMock("echo-422", [["status": 422, "echo_headers": true]])
        try await daemon.scriptMock("echo-503", Array(repeating: ["status": 503, "echo_headers": true], count: 2))
        for call in ["echo-422", "echo-503"] {
            #expect(try await daemon.post(Daemon.event(call)).status == 202)
            _ = try await daemon.waitForJob(call: call) { $0["state"] as? String == "dead" }
        }
        let listed = try await Command.run("outcomed", ["queue", "list", "--db", daemon.storePath, "--json"]).stdout
        let jobs = (try JSONSerialization.jsonObject(with: Data(listed.utf8)) as? [[String: Any]]) ?? []
        #expect(jobs.count == 2)
        #expect(jobs.allSatisfy { ($0["last_error"] as? String)?.contains("[redacted]") == true }, "\(listed)")
        let prefix = String(Daemon.apiToken.prefix(8))
        #expect(!listed.contains(prefix), "\(listed)")
        #expect(daemon.log.contains("event=dead_lettered"))
        #expect(!daemon.log.contains(prefix), "\(daemon.log)")
    }
}
