/// Vapi's HMAC webhook credential (`server.auth.vapi_hmac`): how Vapi signs each request.
public struct VapiHMACConfig: Sendable, Hashable {
    /// The hash function of the HMAC.
    public enum Algorithm: String, Sendable, Hashable, CaseIterable {
        case sha256, sha512, sha1
    }

    /// How the signature's bytes are written in the header.
    public enum Encoding: String, Sendable, Hashable, CaseIterable {
        case hex, base64
    }

    /// The HMAC key, Vapi's `secretKey`.
    public var secret: SecretSource
    /// The hash function.
    public var algorithm: Algorithm = .sha256
    /// The header that carries the signature.
    public var signatureHeader = "x-signature"
    /// The header that carries the timestamp, when the payload signs one.
    public var timestampHeader = "x-timestamp"
    /// Text before the encoded signature in its header, such as `sha256=`.
    public var prefix = ""
    /// How the signature is encoded.
    public var encoding: Encoding = .hex
    /// What is signed.
    public var payload: SignaturePayload = .standard

    /// Vapi's defaults, with this secret.
    public init(secret: SecretSource) {
        self.secret = secret
    }
}
