import Crypto
import Foundation
import HTTPTypes

/// Checks webhook senders against `server.auth` (SPEC §2); passing any configured method suffices.
public struct SenderAuthenticator: Sendable {
    /// The allowed clock skew of `X-Outcomed-Signature` timestamps, in seconds.
    public static let maxSkew: Int64 = 300
    static let outcomedSignature = HTTPField.Name("X-Outcomed-Signature")

    let bearerToken: [UInt8]?
    let sharedSecretHeader: HTTPField.Name?
    let sharedSecret: [UInt8]?
    let hmacSecret: [UInt8]?
    let retell: RetellSignatureVerifier?
    let vapi: VapiHMACVerifier?

    /// Resolves the configured secrets.
    public init(_ auth: AuthConfig, environment: [String: String]) throws(ConfigError) {
        func resolve(_ source: SecretSource?) throws(ConfigError) -> String? {
            try source.map { (source) throws(ConfigError) in try source.resolve(environment: environment) }
        }
        bearerToken = try resolve(auth.bearerToken).map { Array($0.utf8) }
        sharedSecret = try resolve(auth.sharedSecret).map { Array($0.utf8) }
        sharedSecretHeader = auth.sharedSecretHeader.flatMap { HTTPField.Name($0) }
        hmacSecret = try resolve(auth.hmacSecret).map { Array($0.utf8) }
        retell = try resolve(auth.retellAPIKey).map { RetellSignatureVerifier(apiKey: $0) }
        if let config = auth.vapiHMAC {
            vapi = try VapiHMACVerifier(config, secret: config.secret.resolve(environment: environment))
        } else {
            vapi = nil
        }
    }

    /// Whether no method is configured (everything is accepted).
    public var isOpen: Bool { bearerToken == nil && sharedSecret == nil && hmacSecret == nil && retell == nil && vapi == nil }

    /// Checks the request against every configured method until one passes; `nowMilliseconds` is Unix time.
    public func authenticate(headers: HTTPFields, body: [UInt8], nowMilliseconds: Int64) -> AuthVerdict {
        var failures: [AuthVerdict.Failure] = []
        if let bearerToken {
            guard let reason = Self.bearerRefusal(headers[.authorization], token: bearerToken) else { return .accepted }
            failures.append(.init(.bearer, reason))
        }
        if let sharedSecret, let name = sharedSecretHeader {
            guard let reason = Self.sharedSecretRefusal(headers[name], secret: sharedSecret) else { return .accepted }
            failures.append(.init(.sharedSecret, reason))
        }
        if let hmacSecret {
            let value = Self.outcomedSignature.flatMap { headers[$0] }
            guard let reason = Self.signatureRefusal(value, body: body, secret: hmacSecret, now: nowMilliseconds / 1000) else { return .accepted }
            failures.append(.init(.hmac, reason))
        }
        if let retell {
            guard let reason = retell.refusal(headers: headers, body: body, nowMilliseconds: nowMilliseconds) else { return .accepted }
            failures.append(.init(.retell, reason))
        }
        if let vapi {
            guard let reason = vapi.refusal(headers: headers, body: body, nowMilliseconds: nowMilliseconds) else { return .accepted }
            failures.append(.init(.vapiHMAC, reason))
        }
        return AuthVerdict(failures: failures)
    }

    static func bearerRefusal(_ value: String?, token: [UInt8]) -> AuthVerdict.Reason? {
        guard let value else { return .missing }
        guard value.hasPrefix("Bearer ") else { return .malformed }
        return ConstantTime.equals(Array(value.utf8.dropFirst(7)), token) ? nil : .mismatch
    }

    static func sharedSecretRefusal(_ value: String?, secret: [UInt8]) -> AuthVerdict.Reason? {
        guard let value else { return .missing }
        return ConstantTime.equals(Array(value.utf8), secret) ? nil : .mismatch
    }

    /// Checks `t=<unix seconds>,v1=<hex HMAC-SHA256(key, "<t>.<body>")>` within the allowed skew.
    static func signatureRefusal(_ value: String?, body: [UInt8], secret: [UInt8], now: Int64) -> AuthVerdict.Reason? {
        guard let value else { return .missing }
        var timestamp: Int64?
        var candidates: [[UInt8]] = []
        for part in value.split(separator: ",") {
            let pair = part.split(separator: "=", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
            guard pair.count == 2 else { continue }
            if pair[0] == "t" { timestamp = Int64(pair[1]) }
            if pair[0] == "v1", let bytes = Hex.decode(pair[1].utf8), !bytes.isEmpty { candidates.append(bytes) }
        }
        guard let timestamp, !candidates.isEmpty else { return .malformed }
        if let skew = TimestampWindow.refusal(of: timestamp, now: now, tolerance: maxSkew) { return skew }
        var message = Array("\(timestamp).".utf8)
        message.append(contentsOf: body)
        let expected = Array(HMAC<SHA256>.authenticationCode(for: message, using: SymmetricKey(data: secret)))
        return candidates.contains { ConstantTime.equals($0, expected) } ? nil : .badSignature
    }

    /// The signature header value for `body` at time `t` (for senders and tests).
    public static func sign(body: [UInt8], secret: String, timestamp: Int64) -> String {
        var message = Array("\(timestamp).".utf8)
        message.append(contentsOf: body)
        let code = HMAC<SHA256>.authenticationCode(for: message, using: SymmetricKey(data: Array(secret.utf8)))
        return "t=\(timestamp),v1=" + Hex.encode(code)
    }
}
