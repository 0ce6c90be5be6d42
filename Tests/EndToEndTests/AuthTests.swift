import Foundation
import Testing
import OutcomeDaemon

/// The three sender-authentication methods of SPEC §2, accepting and rejecting.
@Suite(.serialized, .timeLimit(.minutes(2)))
struct AuthTests {
    @Test func eachMethodAcceptsAndRejects() async throws {
        let daemon = try Daemon(server: """
              auth:
                bearer_token_env: INTAKE_TOKEN
                shared_secret_header: X-Vapi-Secret
                shared_secret_file: $CREDENTIALS_DIRECTORY/webhook-secret
                hmac_secret_env: HMAC_SECRET
            """)
        let credentials = daemon.directory + "/credentials"
        try FileManager.default.createDirectory(atPath: credentials, withIntermediateDirectories: true)
        try "vapi-secret\n".write(toFile: credentials + "/webhook-secret", atomically: true, encoding: .utf8)
        daemon.environment["INTAKE_TOKEN"] = "intake-token"
        daemon.environment["HMAC_SECRET"] = "hmac-secret"
        daemon.environment["CREDENTIALS_DIRECTORY"] = credentials
        try await daemon.start()

        let json = "Content-Type: application/json"
        var index = 0
        func post(_ headers: [String], body: String? = nil) async throws -> Int {
            index += 1
            let text = body ?? Daemon.event("c-auth-\(index)")
            return try await daemon.post(Array(text.utf8), headers: [json] + headers).status
        }
        #expect(try await post(["Authorization: Bearer intake-token"]) == 202)
        #expect(try await post(["Authorization: Bearer wrong-token"]) == 401)
        #expect(try await post(["X-Vapi-Secret: vapi-secret"]) == 202)
        #expect(try await post(["X-Vapi-Secret: vapi-secreT"]) == 401)
        let now = Int64(Date().timeIntervalSince1970)
        let signed = Daemon.event("c-hmac")
        #expect(try await post(["X-Outcomed-Signature: " + SenderAuthenticator.sign(body: Array(signed.utf8), secret: "hmac-secret", timestamp: now)], body: signed) == 202)
        let tampered = Daemon.event("c-hmac-2")
        #expect(try await post(["X-Outcomed-Signature: " + SenderAuthenticator.sign(body: Array(signed.utf8), secret: "hmac-secret", timestamp: now)], body: tampered) == 401)
        let old = Daemon.event("c-hmac-old")
        #expect(try await post(["X-Outcomed-Signature: " + SenderAuthenticator.sign(body: Array(old.utf8), secret: "hmac-secret", timestamp: now - 301)], body: old) == 401)
        #expect(try await post(["X-Outcomed-Signature: " + SenderAuthenticator.sign(body: Array(old.utf8), secret: "wrong", timestamp: now)], body: old) == 401)

        let missing = try await daemon.post(Daemon.event("c-none"))
        #expect(missing.status == 401)
        #expect(String(decoding: missing.body, as: UTF8.self) == #"{"error":"unauthorized"}"#)
        for secret in ["intake-token", "vapi-secret", "hmac-secret", "wrong-token"] {
            #expect(!daemon.log.contains(secret), "a secret reached the log")
        }
        let stats = try daemon.queueStats()
        #expect(["pending", "in_flight", "done", "dead"].compactMap { stats[$0] as? Int }.reduce(0, +) == 3)
    }

    /// Issue 11: a sender-chosen timestamp at Int64's edges once trapped `abs(now - t)` and killed serve.
    @Test func anExtremeSignatureTimestampIsRefusedAndServeKeepsRunning() async throws {
        let daemon = try Daemon(server: """
              auth:
                hmac_secret_env: HMAC_SECRET
            """)
        daemon.environment["HMAC_SECRET"] = "hmac-secret"
        try await daemon.start()
        for timestamp in ["-9223372036854775808", "9223372036854775807"] {
            let response = try await daemon.post(Array(Daemon.event("c-overflow").utf8), headers: [
                "Content-Type: application/json", "X-Outcomed-Signature: t=\(timestamp),v1=00",
            ])
            #expect(response.status == 401)
            #expect(try await daemon.get("/healthz").status == 200)
        }
        let stats = try daemon.queueStats()
        #expect(["pending", "in_flight", "done", "dead"].compactMap { stats[$0] as? Int }.reduce(0, +) == 0)
    }

    @Test func withoutAuthEverythingIsAcceptedAndAWarningIsLogged() async throws {
        let daemon = try Daemon()
        try await daemon.start()
        #expect(try await daemon.post(Daemon.event("c-open")).status == 202)
        #expect(daemon.log.contains("no server.auth method is configured"))
    }

    @Test func reloadIsOnlyForLoopback() async throws {
        let daemon = try Daemon()
        try await daemon.start()
        #expect(try await daemon.post([], headers: [], path: "/-/reload").status == 200)
    }
}
