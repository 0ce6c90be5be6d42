import HTTPTypes
import Testing
@testable import OutcomeDaemon

struct SenderAuthenticatorTests {
    static let now: Int64 = 1_795_532_591
    static let location = SourceLocation(file: "t.yaml", line: 1, column: 1)

    static func hmacOnly() throws -> SenderAuthenticator {
        let source = SecretSource(kind: .environment("HMAC_SECRET"), key: "server.auth.hmac_secret_env", location: location)
        return try SenderAuthenticator(AuthConfig(hmacSecret: source), environment: ["HMAC_SECRET": "hmac-secret"])
    }

    static func headers(_ signature: String) -> HTTPFields {
        var fields = HTTPFields()
        if let name = HTTPField.Name("X-Outcomed-Signature") { fields[name] = signature }
        return fields
    }

    @Test(arguments: [
        ("t=-9223372036854775808,v1=00", AuthVerdict.Reason.staleTimestamp),
        ("t=9223372036854775807,v1=00", .futureTimestamp),
        ("t=-9223372036854775807,v1=00", .staleTimestamp),
        ("t=9223372036854775806,v1=00", .futureTimestamp),
        ("t=9223372036854775808,v1=00", .malformed),
    ])
    func extremeTimestampsAreRejectedWithoutTrapping(signature: String, reason: AuthVerdict.Reason) throws {
        let authenticator = try Self.hmacOnly()
        let refused = AuthVerdict(failures: [.init(.hmac, reason)])
        #expect(authenticator.authenticate(headers: Self.headers(signature), body: [], nowMilliseconds: Self.now * 1000) == refused)
        for now in [Int64.max, Int64.min, 0] {
            #expect(!authenticator.authenticate(headers: Self.headers(signature), body: [], nowMilliseconds: now).isAccepted)
        }
    }

    @Test func aValidSignatureAtTheEdgeOfTheWindowPasses() async throws {
        let authenticator = try Self.hmacOnly()
        let body = Array(#"{"id":"c1"}"#.utf8)
        for (offset, accepted) in [(-300, true), (300, true), (-301, false), (301, false)] as [(Int64, Bool)] {
            let signature = SenderAuthenticator.sign(body: body, secret: "hmac-secret", timestamp: Self.now + offset)
            #expect(authenticator.authenticate(headers: Self.headers(signature), body: body, nowMilliseconds: Self.now * 1000).isAccepted == accepted)
        }
    }

    @Test func withNothingConfiguredEverythingIsAccepted() async throws {
        let authenticator = try SenderAuthenticator(AuthConfig(), environment: [:])
        #expect(authenticator.isOpen)
        #expect(authenticator.authenticate(headers: [:], body: [], nowMilliseconds: 0) == .accepted)
    }

    static let vapiTimestamps: [(sent: Int64, reason: AuthVerdict.Reason?)] = [
        (1_795_532_591, nil),
        (1_795_532_291, nil),
        (1_795_532_290, .staleTimestamp),
        (1_795_532_892, .futureTimestamp),
        (1_795_532_591_123, nil),
        (1_795_532_291_123, nil),
        (1_795_532_291_122, .staleTimestamp),
        (1_795_532_891_124, .futureTimestamp),
        (100_000_000_000, .futureTimestamp),
        (100_000_000_001, .staleTimestamp),
        (0, .staleTimestamp),
        (Int64.max, .futureTimestamp),
    ]

    @Test(arguments: vapiTimestamps)
    func vapiTimestampsAreSecondsUpTo10To11AndMillisecondsAbove(sent: Int64, reason: AuthVerdict.Reason?) {
        #expect(VapiHMACVerifier.skewRefusal(sent, nowMilliseconds: 1_795_532_591_123) == reason)
    }

    @Test(arguments: [
        ("00ff", [0x00, 0xFF] as [UInt8]?),
        ("00FF", [0x00, 0xFF]),
        ("aB", [0xAB]),
        ("", []),
        ("0", nil),
        ("+f", nil),
        ("0g", nil),
        (" 0f", nil),
    ])
    func hexDecodingIsStrict(text: String, bytes: [UInt8]?) {
        #expect(Hex.decode(text.utf8) == bytes)
    }
}
