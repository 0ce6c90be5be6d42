import Crypto
import Foundation
import HTTPTypes

/// Checks a signature made by Vapi's HMAC credential (`server.auth.vapi_hmac`): the configured
/// hash, header names, prefix, encoding and payload template.
struct VapiHMACVerifier: Sendable {
    /// 300 s either way.
    static let toleranceSeconds: Int64 = 300
    /// Timestamps above this are milliseconds: as seconds it is the year 5138, as milliseconds 1973.
    static let millisecondsAbove: Int64 = 100_000_000_000

    /// The secret's bytes; swift-crypto's SymmetricKey is not Sendable, so one is made per check.
    let secret: [UInt8]
    let algorithm: VapiHMACConfig.Algorithm
    let encoding: VapiHMACConfig.Encoding
    let prefix: [UInt8]
    let payload: SignaturePayload
    let signatureHeader: HTTPField.Name
    let timestampHeader: HTTPField.Name

    init(_ config: VapiHMACConfig, secret: String) throws(ConfigError) {
        guard let signatureHeader = HTTPField.Name(config.signatureHeader), let timestampHeader = HTTPField.Name(config.timestampHeader) else {
            throw ConfigError(config.secret.location, "server.auth.vapi_hmac: signature_header or timestamp_header is not a valid header name")
        }
        self.signatureHeader = signatureHeader
        self.timestampHeader = timestampHeader
        self.secret = Array(secret.utf8)
        algorithm = config.algorithm
        encoding = config.encoding
        prefix = Array(config.prefix.utf8)
        payload = config.payload
    }

    /// The refusal for a timestamp outside the window, compared in the unit it was sent in.
    static func skewRefusal(_ timestamp: Int64, nowMilliseconds: Int64) -> AuthVerdict.Reason? {
        timestamp > millisecondsAbove
            ? TimestampWindow.refusal(of: timestamp, now: nowMilliseconds, tolerance: toleranceSeconds * 1000)
            : TimestampWindow.refusal(of: timestamp, now: nowMilliseconds / 1000, tolerance: toleranceSeconds)
    }

    /// Why the request fails this check, or nil when it passes.
    func refusal(headers: HTTPFields, body: [UInt8], nowMilliseconds: Int64) -> AuthVerdict.Reason? {
        guard let presented = headers[signatureHeader] else { return .missing }
        var timestampText = ""
        if payload.usesTimestamp {
            guard let text = headers[timestampHeader] else { return .missingTimestamp }
            guard let timestamp = TimestampWindow.digits(text) else { return .malformed }
            if let skew = Self.skewRefusal(timestamp, nowMilliseconds: nowMilliseconds) { return skew }
            timestampText = text
        }
        guard let signature = decode(presented), !signature.isEmpty else { return .malformed }
        let expected: [UInt8]
        switch algorithm {
        case .sha256: expected = mac(SHA256.self, body: body, timestamp: timestampText)
        case .sha512: expected = mac(SHA512.self, body: body, timestamp: timestampText)
        case .sha1: expected = mac(Insecure.SHA1.self, body: body, timestamp: timestampText)
        }
        return ConstantTime.equals(signature, expected) ? nil : .badSignature
    }

    /// The signature bytes of a header value: the prefix removed, then hex or base64 decoded.
    func decode(_ value: String) -> [UInt8]? {
        let utf8 = value.utf8
        guard utf8.starts(with: prefix) else { return nil }
        let encoded = utf8.dropFirst(prefix.count)
        switch encoding {
        case .hex:
            return Hex.decode(encoded)
        case .base64:
            var text = String(decoding: encoded, as: UTF8.self)
            if text.utf8.count % 4 != 0 { text += String(repeating: "=", count: 4 - text.utf8.count % 4) }
            return Data(base64Encoded: text).map { Array($0) }
        }
    }

    func mac<H: HashFunction>(_: H.Type, body: [UInt8], timestamp: String) -> [UInt8] {
        var mac = HMAC<H>(key: SymmetricKey(data: secret))
        for part in payload.parts {
            switch part {
            case .text(let bytes): mac.update(data: bytes)
            case .timestamp: mac.update(data: Array(timestamp.utf8))
            case .body: mac.update(data: body)
            }
        }
        return Array(mac.finalize())
    }
}
