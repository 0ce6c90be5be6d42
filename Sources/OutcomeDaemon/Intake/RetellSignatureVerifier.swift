import Crypto
import HTTPTypes

/// Checks Retell's own webhook signature, `X-Retell-Signature: v=<unix ms>,d=<hex>`, where the
/// hex is HMAC-SHA256 keyed by the Retell API key over the raw body followed by the `v` digits.
struct RetellSignatureVerifier: Sendable {
    static let header = HTTPField.Name("X-Retell-Signature")
    /// Five minutes either way, in milliseconds.
    static let tolerance: Int64 = 300_000

    /// The key's bytes; swift-crypto's SymmetricKey is not Sendable, so one is made per check.
    let apiKey: [UInt8]

    init(apiKey: String) {
        self.apiKey = Array(apiKey.utf8)
    }

    /// Why the request fails this check, or nil when it passes.
    func refusal(headers: HTTPFields, body: [UInt8], nowMilliseconds: Int64) -> AuthVerdict.Reason? {
        guard let name = Self.header, let value = headers[name] else { return .missing }
        var timestampText: Substring?
        var digest: [UInt8]?
        for part in value.split(separator: ",") {
            let field = part.drop { $0 == " " || $0 == "\t" }
            if field.hasPrefix("v=") { timestampText = field.dropFirst(2) }
            if field.hasPrefix("d=") { digest = Hex.decode(field.dropFirst(2).utf8) }
        }
        guard let timestampText, let timestamp = TimestampWindow.digits(timestampText), let digest, !digest.isEmpty else {
            return .malformed
        }
        if let skew = TimestampWindow.refusal(of: timestamp, now: nowMilliseconds, tolerance: Self.tolerance) { return skew }
        var mac = HMAC<SHA256>(key: SymmetricKey(data: apiKey))
        mac.update(data: body)
        mac.update(data: Array(timestampText.utf8))
        return ConstantTime.equals(digest, Array(mac.finalize())) ? nil : .badSignature
    }
}
