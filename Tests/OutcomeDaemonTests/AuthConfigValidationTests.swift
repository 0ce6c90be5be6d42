import Foundation
import Testing
import TestSupport
@testable import OutcomeDaemon

/// `server.auth` in the config: Retell's key, Vapi's HMAC credential, and their errors at FILE:LINE:COL.
struct AuthConfigValidationTests {
    struct Case: Sendable, CustomTestStringConvertible {
        var name: String
        var auth: String
        var line: Int
        var column: Int
        var message: String
        var testDescription: String { name }
    }

    /// The auth lines start on line 5, indented by four spaces.
    static func yaml(_ auth: String) -> String {
        "outcomes: [a]\nrules: []\nserver:\n  auth:\n" + auth.split(separator: "\n", omittingEmptySubsequences: false).map { "    " + $0 }.joined(separator: "\n") + "\n"
    }

    static func parse(_ auth: String, mode: ConfigLoadMode = .rules, environment: [String: String] = [:]) throws(ConfigError) -> Config {
        try Config.parse(yaml: yaml(auth), file: "auth.yaml", mode: mode, environment: environment)
    }

    @Test(arguments: [
        Case(name: "unknown algorithm", auth: "vapi_hmac:\n  secret_env: V\n  algorithm: sha384", line: 7, column: 18,
             message: #"unknown algorithm "sha384" in server.auth.vapi_hmac; use sha256, sha512 or sha1"#),
        Case(name: "misspelt algorithm", auth: "vapi_hmac:\n  secret_env: V\n  algorithm: SHA-256", line: 7, column: 18, message: #"did you mean "sha256"?"#),
        Case(name: "unknown encoding", auth: "vapi_hmac:\n  secret_env: V\n  encoding: base32", line: 7, column: 17,
             message: #"unknown encoding "base32" in server.auth.vapi_hmac; use hex or base64"#),
        Case(name: "payload without body", auth: "vapi_hmac:\n  secret_env: V\n  payload: \"{timestamp}.\"", line: 7, column: 16,
             message: #"payload "{timestamp}." does not contain {body}"#),
        Case(name: "payload with an unsupported placeholder", auth: "vapi_hmac:\n  secret_env: V\n  payload: \"{url}.{body}\"", line: 7, column: 16,
             message: "uses {url}; outcomed fills only {timestamp} and {body}"),
        Case(name: "missing secret", auth: "vapi_hmac:\n  algorithm: sha512", line: 5, column: 5,
             message: "server.auth.vapi_hmac needs secret_file (a path) or secret_env (a variable name)"),
        Case(name: "inline vapi secret", auth: "vapi_hmac:\n  secret: abc", line: 6, column: 7, message: "secrets are never written inline: use secret_file"),
        Case(name: "both secret sources", auth: "vapi_hmac:\n  secret_file: /x\n  secret_env: V", line: 7, column: 7, message: "give either secret_file or secret_env, not both"),
        Case(name: "misspelt vapi key", auth: "vapi_hmac:\n  secret_env: V\n  signature_heder: x-sig", line: 7, column: 7,
             message: #"unknown key "signature_heder" in server.auth.vapi_hmac; did you mean "signature_header"?"#),
        Case(name: "bad header name", auth: "vapi_hmac:\n  secret_env: V\n  timestamp_header: \"x timestamp\"", line: 7, column: 25, message: "is not a valid header name"),
        Case(name: "vapi_hmac not a mapping", auth: "vapi_hmac: yes", line: 5, column: 16, message: "must be a mapping"),
        Case(name: "inline retell key", auth: "retell_api_key: key_abc", line: 5, column: 5, message: "use retell_api_key_file"),
        Case(name: "misspelt retell key", auth: "retell_api_key_fil: /x", line: 5, column: 5, message: #"did you mean "retell_api_key_file"?"#),
        Case(name: "misspelt vapi section", auth: "vapi_hmc:\n  secret_env: V", line: 5, column: 5, message: #"did you mean "vapi_hmac"?"#),
    ])
    func everyErrorNamesItsLineAndColumn(test: Case) {
        #expect {
            try Self.parse(test.auth)
        } throws: { error in
            guard let error = error as? ConfigError else { return false }
            let ok = error.location.line == test.line && error.location.column == test.column && error.message.contains(test.message)
            if !ok { Issue.record("got \(error)") }
            return ok && error.description.hasPrefix("auth.yaml:\(test.line):\(test.column): ")
        }
    }

    @Test func everyVapiFieldIsRead() async throws {
        let config = try Self.parse("""
            retell_api_key_env: RETELL_API_KEY
            vapi_hmac:
              secret_file: $CREDENTIALS_DIRECTORY/vapi-hmac
              algorithm: sha512
              signature_header: X-Vapi-Signature
              timestamp_header: X-Vapi-Timestamp
              prefix: "sha512="
              encoding: base64
              payload: "v0:{timestamp}:{body}"
            """)
        let auth = config.server.auth
        #expect(auth.retellAPIKey?.kind == .environment("RETELL_API_KEY"))
        #expect(auth.retellAPIKey?.key == "server.auth.retell_api_key_env")
        let vapi = try #require(auth.vapiHMAC)
        #expect(vapi.secret.kind == .file("$CREDENTIALS_DIRECTORY/vapi-hmac"))
        #expect(vapi.secret.key == "server.auth.vapi_hmac.secret_file")
        #expect(vapi.algorithm == .sha512 && vapi.encoding == .base64 && vapi.prefix == "sha512=")
        #expect(vapi.signatureHeader == "X-Vapi-Signature" && vapi.timestampHeader == "X-Vapi-Timestamp")
        #expect(vapi.payload.parts == [.text(Array("v0:".utf8)), .timestamp, .text(Array(":".utf8)), .body])
        #expect(!auth.isEmpty && auth.secrets.count == 2)
    }

    @Test func vapiDefaultsAreVapis() async throws {
        let vapi = try #require(try Self.parse("vapi_hmac:\n  secret_env: V").server.auth.vapiHMAC)
        #expect(vapi.algorithm == .sha256 && vapi.encoding == .hex && vapi.prefix.isEmpty)
        #expect(vapi.signatureHeader == "x-signature" && vapi.timestampHeader == "x-timestamp")
        #expect(vapi.payload == .standard && vapi.payload.usesTimestamp)
    }

    @Test(arguments: [
        ("{body}", [SignaturePayload.Part.body], false),
        ("{timestamp}.{body}", [.timestamp, .text([0x2E]), .body], true),
        ("{ {body} }", [.text(Array("{ ".utf8)), .body, .text(Array(" }".utf8))], false),
        ("{body}{timestamp}", [.body, .timestamp], true),
    ])
    func payloadTemplates(template: String, parts: [SignaturePayload.Part], usesTimestamp: Bool) throws {
        let payload = try SignaturePayload.parse(template).get()
        #expect(payload.parts == parts && payload.usesTimestamp == usesTimestamp)
    }

    @Test func checkReadsTheNewSecretFilesAndServeResolvesThem() async throws {
        let directory = try TemporaryDirectory()
        let auth = "retell_api_key_file: $CREDENTIALS_DIRECTORY/retell-api-key\nvapi_hmac:\n  secret_file: $CREDENTIALS_DIRECTORY/vapi-hmac"
        let yaml = Self.yaml(auth) + "api:\n  base_url: https://x\n  token_env: T\n"
        let environment = ["CREDENTIALS_DIRECTORY": directory.path, "T": "t"]
        #expect {
            try Config.parse(yaml: yaml, file: "auth.yaml", mode: .check, environment: environment)
        } throws: { error in
            (error as? ConfigError)?.description == "auth.yaml:5:26: server.auth.retell_api_key_file: secret file \(directory.path)/retell-api-key is missing or unreadable"
        }
        try "key_retell\n".write(toFile: directory.path + "/retell-api-key", atomically: true, encoding: .utf8)
        #expect {
            try Config.parse(yaml: yaml, file: "auth.yaml", mode: .check, environment: environment)
        } throws: { error in
            (error as? ConfigError)?.description.hasPrefix("auth.yaml:7:20: server.auth.vapi_hmac.secret_file: secret file") == true
        }
        try "vapi-secret\n".write(toFile: directory.path + "/vapi-hmac", atomically: true, encoding: .utf8)
        let config = try Config.parse(yaml: yaml, file: "auth.yaml", mode: .serve, environment: environment)
        let authenticator = try SenderAuthenticator(config.server.auth, environment: environment)
        #expect(!authenticator.isOpen)
        #expect(authenticator.retell?.apiKey == Array("key_retell".utf8))
        #expect(authenticator.vapi?.secret == Array("vapi-secret".utf8))
    }

    @Test func anUnsetVariableIsOnlyAWarningForCheck() async throws {
        let yaml = Self.yaml("retell_api_key_env: RETELL_API_KEY") + "api:\n  base_url: https://x\n  token_env: T\n"
        let config = try Config.parse(yaml: yaml, file: "auth.yaml", mode: .check, environment: ["T": "t"])
        #expect(config.warnings.map(\.description) == ["auth.yaml:5:25: warning: server.auth.retell_api_key_env: not checked: RETELL_API_KEY is unset"])
    }
}
