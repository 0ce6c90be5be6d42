import Crypto
import Foundation
import HTTPTypes

/// Checks webhook senders against `server.auth` (SPEC §2); passing any configured method suffices.
public struct SenderAuthenticator: Sendable {
    /// The allowed clock skew of `X-Outcomed-Signature` timestamps.
    public static let maxSkew: Int64 = 300

    let bearerToken: [UInt8]?
    let sharedSecretHeader: HTTPField.Name?
    let sharedSecret: [UInt8]?
    let hmacSecret: [UInt8]?

    /// Resolves the configured secrets.
    public init(_ auth: AuthConfig, environment: [String: String]) throws(ConfigError) {
        bearerToken = try auth.bearerToken.map { (source) throws(ConfigError) in Array(try source.resolve(environment: environment).utf8) }
        sharedSecret = try auth.sharedSecret.map { (source) throws(ConfigError) in Array(try source.resolve(environment: environment).utf8) }
        sharedSecretHeader = auth.sharedSecretHeader.flatMap { HTTPField.Name($0) }
        hmacSecret = try auth.hmacSecret.map { (source) throws(ConfigError) in Array(try source.resolve(environment: environment).utf8) }
    }

    /// Whether no method is configured (everything is accepted).
    public var isOpen: Bool { bearerToken == nil && sharedSecret == nil && hmacSecret == nil }

    /// Whether the request passes a configured method; `now` is Unix seconds.
    public func accepts(headers: HTTPFields, body: [UInt8], now: Int64) -> Bool {
        if isOpen { return true }
        if let bearerToken, let value = headers[.authorization], value.hasPrefix("Bearer "),
           ConstantTime.equals(Array(value.utf8.dropFirst(7)), bearerToken)
        {
            return true
        }
        if let sharedSecret, let name = sharedSecretHeader, let value = headers[name], ConstantTime.equals(Array(value.utf8), sharedSecret) {
            return true
        }
        if let hmacSecret, let name = HTTPField.Name("X-Outcomed-Signature"), let value = headers[name] {
            return Self.verify(signature: value, body: body, key: SymmetricKey(data: hmacSecret), now: now)
        }
        return false
    }

    /// Verifies `t=<unix seconds>,v1=<hex HMAC-SHA256(key, "<t>.<body>")>` within the allowed skew.
    static func verify(signature: String, body: [UInt8], key: SymmetricKey, now: Int64) -> Bool {
        var timestamp: Int64?
        var candidates: [[UInt8]] = []
        for part in signature.split(separator: ",") {
            let pair = part.split(separator: "=", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
            guard pair.count == 2 else { continue }
            if pair[0] == "t" { timestamp = Int64(pair[1]) }
            if pair[0] == "v1", let bytes = hexBytes(pair[1]) { candidates.append(bytes) }
        }
        guard let timestamp, TimestampWindow.position(of: timestamp, now: now, tolerance: maxSkew) == .inside, !candidates.isEmpty else { return false }
        var message = Array("\(timestamp).".utf8)
        message.append(contentsOf: body)
        let expected = Array(HMAC<SHA256>.authenticationCode(for: message, using: key))
        return candidates.contains { ConstantTime.equals($0, expected) }
    }

    /// The signature header value for `body` at time `t` (for senders and tests).
    public static func sign(body: [UInt8], secret: String, timestamp: Int64) -> String {
        var message = Array("\(timestamp).".utf8)
        message.append(contentsOf: body)
        let code = HMAC<SHA256>.authenticationCode(for: message, using: SymmetricKey(data: Array(secret.utf8)))
        return "t=\(timestamp),v1=" + Hex.encode(code)
    }

    static func hexBytes(_ text: String) -> [UInt8]? {
        guard text.count % 2 == 0 else { return nil }
        var bytes: [UInt8] = []
        var index = text.startIndex
        while index < text.endIndex {
            let next = text.index(index, offsetBy: 2)
            guard let byte = UInt8(text[index..<next], radix: 16) else { return nil }
            bytes.append(byte)
            index = next
        }
        return bytes
    }
}
