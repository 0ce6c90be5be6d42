import HTTPTypes
import Testing
@testable import OutcomeDaemon

struct SenderAuthenticatorTests {
    static let now: Int64 = 1_795_532_591

    static func hmacOnly() throws -> SenderAuthenticator {
        let source = SecretSource(kind: .environment("HMAC_SECRET"), key: "server.auth.hmac_secret_env", location: .init(file: "t.yaml", line: 1, column: 1))
        return try SenderAuthenticator(AuthConfig(hmacSecret: source), environment: ["HMAC_SECRET": "hmac-secret"])
    }

    static func headers(_ signature: String) -> HTTPFields {
        var fields = HTTPFields()
        if let name = HTTPField.Name("X-Outcomed-Signature") { fields[name] = signature }
        return fields
    }

    @Test(arguments: [
        "t=-9223372036854775808,v1=00",
        "t=9223372036854775807,v1=00",
        "t=-9223372036854775807,v1=00",
        "t=9223372036854775806,v1=00",
    ])
    func extremeTimestampsAreRejectedWithoutTrapping(signature: String) throws {
        let authenticator = try Self.hmacOnly()
        #expect(!authenticator.accepts(headers: Self.headers(signature), body: [], now: Self.now))
        #expect(!authenticator.accepts(headers: Self.headers(signature), body: [], now: Int64.max))
        #expect(!authenticator.accepts(headers: Self.headers(signature), body: [], now: Int64.min))
    }

    @Test func aValidSignatureAtTheEdgeOfTheWindowPasses() throws {
        let authenticator = try Self.hmacOnly()
        let body = Array(#"{"id":"c1"}"#.utf8)
        for (offset, accepted) in [(-300, true), (300, true), (-301, false), (301, false)] as [(Int64, Bool)] {
            let signature = SenderAuthenticator.sign(body: body, secret: "hmac-secret", timestamp: Self.now + offset)
            #expect(authenticator.accepts(headers: Self.headers(signature), body: body, now: Self.now) == accepted)
        }
    }
}
