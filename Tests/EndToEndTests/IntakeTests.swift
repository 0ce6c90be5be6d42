import Foundation
import Testing
import OutcomeDaemon
import TestSupport

/// Every row of SPEC §2's response table, against the real `outcomed serve` binary.
@Suite(.serialized, .timeLimit(.minutes(3)))
struct IntakeTests {
    @Test func everyRowOfTheResponseTable() async throws {
        let daemon = try await Daemon(maxBody: "1MiB")
        try await daemon.start()

        let accepted = try await daemon.post(Daemon.event("c-accept"))
        #expect(accepted.status == 202)
        let body = jsonObject(accepted)
        #expect(body["call_id"] as? String == "c-accept")
        #expect(body["action"] as? String == "queued")
        #expect(body["outcome"] as? String == "interested")
        #expect(body["rule"] as? String == "lead")
        #expect(body["job_id"] as? Int != nil && body["event_id"] as? Int != nil)

        let again = try await daemon.post(Daemon.event("c-accept"))
        #expect(again.status == 200)
        #expect(jsonObject(again)["duplicate"] as? Bool == true)
        #expect(jsonObject(again)["job_id"] as? Int == body["job_id"] as? Int)

        let keyed = try await daemon.post(Daemon.event("c-key"), headers: ["Content-Type: application/json; charset=utf-8", "Idempotency-Key: k-1"])
        #expect(keyed.status == 202)
        let sameKey = try await daemon.post(Daemon.event("c-key-other"), headers: ["Content-Type: application/json", "Idempotency-Key: k-1"])
        #expect(sameKey.status == 200 && jsonObject(sameKey)["call_id"] as? String == "c-key")

        let noMatch = try await daemon.post(Daemon.event("c-none", lead: false))
        #expect(noMatch.status == 202)
        #expect(jsonObject(noMatch)["action"] as? String == "no_match")
        #expect(jsonObject(noMatch)["outcome"] is NSNull && jsonObject(noMatch)["job_id"] is NSNull)

        let unchanged = try await daemon.post(#"{"data": {"id": "c-same", "is_lead": true, "call_outcome": "interested"}}"#)
        #expect(unchanged.status == 202 && jsonObject(unchanged)["action"] as? String == "unchanged")

        let ignored = try await daemon.post(#"{"message": {"type": "status-update", "call": {"id": "v1"}}}"#)
        #expect(ignored.status == 200)
        #expect(String(decoding: ignored.body, as: UTF8.self) == #"{"status":"ignored"}"#)

        let rejections: [(String, [UInt8], [String], Int, String)] = [
            ("not JSON", Array("hello".utf8), ["Content-Type: application/json"], 400, "invalid JSON at byte 0"),
            ("not an object", Array("[1, 2]".utf8), ["Content-Type: application/json"], 400, "not an object"),
            ("truncated", Array(#"{"data": {"id": "c-trunc", "is_lead": tr"#.utf8), ["Content-Type: application/json"], 400, "invalid JSON at byte"),
            ("100,000 deep", Array((String(repeating: "[", count: 100_000) + String(repeating: "]", count: 100_000)).utf8), ["Content-Type: application/json"], 400, "nesting deeper than 64"),
            ("invalid UTF-8", Array(#"{"id": ""#.utf8) + [0xFF, 0xFE] + Array(#""}"#.utf8), ["Content-Type: application/json"], 400, "not valid UTF-8"),
            ("no call id", Array(#"{"data": {"name": "x"}}"#.utf8), ["Content-Type: application/json"], 422, "no call id"),
            ("wrong content type", Array(Daemon.event("c-ct").utf8), ["Content-Type: text/plain"], 415, "text/plain"),
            ("no content type", Array(Daemon.event("c-ct2").utf8), ["Content-Type:"], 415, "missing"),
            ("one byte over", Array((Daemon.event("c-big") + String(repeating: " ", count: 1 << 20)).utf8.prefix((1 << 20) + 1)), ["Content-Type: application/json"], 413, "1048576 bytes"),
        ]
        for (name, bytes, headers, status, message) in rejections {
            let response = try await daemon.post(bytes, headers: headers)
            #expect(response.status == status, "\(name)")
            let error = jsonObject(response)["error"] as? String ?? ""
            #expect(error.contains(message), "\(name): \(error)")
        }
        let deep = String(repeating: "[", count: 70) + String(repeating: "]", count: 70)
        let deepResponse = try await daemon.post(deep)
        #expect(deepResponse.status == 400)
        #expect((jsonObject(deepResponse)["error"] as? String)?.contains("nesting deeper than 64") == true)
        let exact = Daemon.event("c-exact")
        let padded = exact + String(repeating: " ", count: (1 << 20) - exact.utf8.count)
        #expect(try await daemon.post(padded).status == 202)

        let stats = try await daemon.queueStats()
        let jobs = ["pending", "in_flight", "done", "dead"].compactMap { stats[$0] as? Int }.reduce(0, +)
        #expect(jobs == 3, "c-accept, c-key and c-exact queued; nothing from rejections, duplicates or no_match")
        #expect(daemon.log.contains("event=rejected"))
        #expect(daemon.log.contains("event=decided"))
    }

    @Test func aLockedStoreAnswers503AndNothingIsHalfWritten() async throws {
        let daemon = try await Daemon()
        try await daemon.start()
        #expect(try await daemon.post(Daemon.event("c-before")).status == 202)
        let locker = try await daemon.lockStore()
        let started = ContinuousClock.now
        let startedAt = Date()
        let response = try await daemon.post(Daemon.event("c-locked"))
        #expect(response.status == 503)
        #expect(response.retryAfter == "1")
        let took = ContinuousClock.now - started
        #expect(took < .seconds(9), "one busy timeout (5 s) and no more: \(took) from \(startedAt) to \(Date())\n\(daemon.log.suffix(3000))")
        let notReady = try await daemon.get("/readyz")
        #expect(notReady.status == 503, "\(String(decoding: notReady.body, as: UTF8.self)) after \(ContinuousClock.now - started)")
        await locker.release()
        #expect(try await daemon.post(Daemon.event("c-locked")).status == 202, "the sender's retry is accepted: nothing was left behind")
        #expect(try await daemon.get("/readyz").status == 200)
    }

    @Test func healthReadinessAndMetricsMove() async throws {
        let daemon = try await Daemon()
        try await daemon.start()
        #expect(try await daemon.get("/healthz").status == 200)
        #expect(try await daemon.get("/readyz").status == 200)
        func accepted() async throws -> Int {
            let text = String(decoding: try await daemon.get("/metrics").body, as: UTF8.self)
            let line = text.split(separator: "\n").first { $0.hasPrefix(#"outcomed_events_total{result="accepted"}"#) }
            return line.flatMap { Int($0.split(separator: " ").last ?? "") } ?? 0
        }
        let before = try await accepted()
        for index in 0..<5 { _ = try await daemon.post(Daemon.event("c-metric-\(index)")) }
        #expect(try await accepted() == before + 5)
        let text = String(decoding: try await daemon.get("/metrics").body, as: UTF8.self)
        for series in ["outcomed_decisions_total{", "outcomed_config_last_reload_successful", "outcomed_config_last_reload_timestamp_seconds"] {
            #expect(text.contains(series), "\(series)")
        }
        let deadline = ContinuousClock.now + .seconds(10)
        while !String(decoding: try await daemon.get("/metrics").body, as: UTF8.self).contains(#"outcomed_deliveries_total{result="done",status="200"} 5"#) {
            guard ContinuousClock.now < deadline else { Issue.record("deliveries did not show in /metrics"); break }
            try await Task.sleep(for: .milliseconds(50))
        }
    }
}
