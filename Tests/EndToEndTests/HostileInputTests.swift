import Foundation
import Testing
import OutcomeDaemon
import TestSupport

/// Call ids and config values chosen to make `outcomed` PATCH the wrong call or crash.
@Suite(.serialized, .timeLimit(.minutes(3)))
struct HostileInputTests {
    @Test func aCallIDWithANulByteIsRefusedAndPatchesNothing() async throws {
        let daemon = try await Daemon()
        try await daemon.start()
        for body in [#"{"id":"victim-42\u0000attacker","is_lead":true}"#, #"{"id":"victim-42\u0000other","is_lead":true}"#] {
            let response = try await daemon.post(body)
            #expect(response.status == 422)
            #expect(jsonObject(response)["error"] as? String == "unusable call id: id contains the control character U+0000")
        }
        #expect(daemon.log.contains(#"event=rejected check=call_id error="unusable call id: id contains the control character U+0000" peer=127.0.0.1:"#), "\(daemon.log.suffix(1500))")
        #expect(try await daemon.post(#"{"id":"victim-42","is_lead":true}"#).status == 202)
        _ = try await daemon.waitForJob(call: "victim-42") { $0["state"] as? String == "done" }
        let stats = try await daemon.queueStats()
        #expect(stats["done"] as? Int == 1, "only the real call became a job: \(stats)")
        #expect(try await daemon.mockRequests(call: "victim-42").count == 1)
    }

    @Test func numericCallIDsADoubleCannotTellApartArePatchedAsSent() async throws {
        let daemon = try await Daemon()
        try await daemon.start()
        let calls = ["9007199254740993", "9007199254740992", "123456789012345678901234567890"]
        for call in calls {
            let response = try await daemon.post(#"{"id":\#(call),"is_lead":true}"#)
            #expect(response.status == 202)
            #expect(jsonObject(response)["call_id"] as? String == call)
        }
        for call in calls {
            _ = try await daemon.waitForJob(call: call) { $0["state"] as? String == "done" }
            #expect(try await daemon.mockRequests(call: call).count == 1, "\(call)")
        }
        let refused = try await daemon.post(#"{"id":1e20,"is_lead":true}"#)
        #expect(refused.status == 422)
        #expect((jsonObject(refused)["error"] as? String)?.contains("whole number written in digits") == true)
    }

    @Test func aHugeDurationIsAConfigErrorForCheckAndForAReload() async throws {
        let daemon = try await Daemon()
        try await daemon.start()
        try daemon.writeConfig(server: "", rules: Daemon.rules, maxBody: "64KiB", retry: "initial_delay: 100ms\n    max_delay: 9999999999999d")
        let line = try String(contentsOfFile: daemon.configPath, encoding: .utf8)
            .split(separator: "\n", omittingEmptySubsequences: false).firstIndex { $0.contains("max_delay") }.map { $0 + 1 } ?? 0
        let message = "\(daemon.configPath):\(line):16: max_delay: 9999999999999d is out of range; the longest duration accepted is 3650d"

        let check = try await Command.run("outcomed", ["check", "--config", daemon.configPath])
        #expect(check.status == 1)
        #expect(check.stderr.contains(message), "\(check.stderr)")

        daemon.signal(SIGHUP)
        try await daemon.waitForLog("event=config_reload_failed")
        #expect(daemon.log.contains(message), "\(daemon.log.suffix(1500))")
        #expect(try await daemon.post(Daemon.event("after-bad-reload")).status == 202, "the daemon runs on with its old config")
    }
}
