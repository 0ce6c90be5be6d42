import Foundation
import Testing
import OutcomeDaemon
import TestSupport

/// The three sender-authentication methods of SPEC §2, accepting and rejecting.
@Suite(.serialized, .timeLimit(.minutes(2)))
struct AuthTests {
    @Test func eachMethodAcceptsAndRejects() async throws {
        let daemon = try await Daemon(server: """
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
        let stats = try await daemon.queueStats()
        #expect(["pending", "in_flight", "done", "dead"].compactMap { stats[$0] as? Int }.reduce(0, +) == 3)
    }

    /// Issue 11: a sender-chosen timestamp at Int64's edges once trapped `abs(now - t)` and killed serve.
    @Test func anExtremeSignatureTimestampIsRefusedAndServeKeepsRunning() async throws {
        let daemon = try await Daemon(server: """
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
        let stats = try await daemon.queueStats()
        #expect(["pending", "in_flight", "done", "dead"].compactMap { stats[$0] as? Int }.reduce(0, +) == 0)
    }

    /// Issue 14: Retell's and Vapi's own signatures, made by Python, let events in; wrong keys do not,
    /// and no secret or signature reaches the log, even at debug.
    @Test func retellAndVapiSignaturesAreVerified() async throws {
        let daemon = try await Daemon(server: """
              auth:
                retell_api_key_env: RETELL_API_KEY
                vapi_hmac:
                  secret_env: VAPI_HMAC_SECRET
                  algorithm: sha512
                  encoding: base64
                  prefix: "sha512="
            """)
        let retellKey = "key_e2e_7c1d9a0b", vapiSecret = "vapi-e2e-hmac-4f2e"
        daemon.environment["RETELL_API_KEY"] = retellKey
        daemon.environment["VAPI_HMAC_SECRET"] = vapiSecret
        try await daemon.start(extraArguments: ["--log-level", "debug"])

        func retellEvent(_ id: String) -> String {
            #"{"event":"call_analyzed","call":{"call_id":"\#(id)","transcript":"Agent: Hello.\nUser: Please call me back.","call_analysis":{"in_voicemail":false}}}"#
        }
        func vapiEvent(_ id: String) -> String {
            #"{"message":{"type":"end-of-call-report","call":{"id":"\#(id)"},"artifact":{"transcript":"AI: Hello.\nUser: Call me back."}}}"#
        }
        let nowMilliseconds = Int64(Date().timeIntervalSince1970 * 1000), nowSeconds = nowMilliseconds / 1000
        var signatures: [String] = []
        func post(_ body: String, _ headers: [String: String]) async throws -> Int {
            signatures += headers.filter { $0.key != "X-Timestamp" }.map(\.value)
            let lines = ["Content-Type: application/json"] + headers.map { "\($0.key): \($0.value)" }
            return try await daemon.post(Array(body.utf8), headers: lines).status
        }

        let retellGood = try await PythonSigner.retell(retellEvent("r-good"), apiKey: retellKey, milliseconds: nowMilliseconds)
        #expect(try await post(retellEvent("r-good"), ["X-Retell-Signature": retellGood]) == 202)
        let vapiGood = try await PythonSigner.vapiSHA512Base64(vapiEvent("v-good"), secret: vapiSecret, timestamp: nowSeconds)
        #expect(try await post(vapiEvent("v-good"), ["X-Signature": vapiGood, "X-Timestamp": "\(nowSeconds)"]) == 202)

        let retellWrong = try await PythonSigner.retell(retellEvent("r-wrong"), apiKey: "key_wrong", milliseconds: nowMilliseconds)
        #expect(try await post(retellEvent("r-wrong"), ["X-Retell-Signature": retellWrong]) == 401)
        let vapiWrong = try await PythonSigner.vapiSHA512Base64(vapiEvent("v-wrong"), secret: "wrong-secret", timestamp: nowMilliseconds)
        #expect(try await post(vapiEvent("v-wrong"), ["X-Signature": vapiWrong, "X-Timestamp": "\(nowMilliseconds)"]) == 401)

        #expect(try await daemon.storedCallIDs() == ["r-good", "v-good"])
        let log = daemon.log
        #expect(log.contains("auth=retell:bad_signature,vapi_hmac:missing"))
        #expect(log.contains("auth=retell:missing,vapi_hmac:bad_signature"))
        #expect(log.contains("peer=127.0.0.1:"))
        let digests = signatures.flatMap { $0.split(separator: "=").map(String.init).filter { $0.count >= 16 } }
        #expect(digests.count == 4)
        for value in [retellKey, vapiSecret, "key_wrong", "wrong-secret"] + signatures + digests {
            #expect(!log.contains(value), "a secret or a signature reached the log")
        }
    }

    @Test func withoutAuthEverythingIsAcceptedAndAWarningIsLogged() async throws {
        let daemon = try await Daemon()
        try await daemon.start()
        #expect(try await daemon.post(Daemon.event("c-open")).status == 202)
        #expect(daemon.log.contains("no server.auth method is configured"))
    }

    @Test func reloadIsOnlyForLoopback() async throws {
        let daemon = try await Daemon()
        try await daemon.start()
        #expect(try await daemon.post([], headers: [], path: "/-/reload").status == 200)
    }
}

extension Daemon {
    /// The call ids of every event in the store, sorted (read with Python's sqlite3, as a bystander would).
    func storedCallIDs() async throws -> [String] {
        let result = try await Command.run("/usr/bin/env", ["python3", "-c", """
            import sqlite3, sys
            for (call_id,) in sqlite3.connect(sys.argv[1]).execute('SELECT call_id FROM events ORDER BY call_id'):
                print(call_id)
            """, storePath])
        return result.stdout.split(separator: "\n").map(String.init)
    }
}
