/// How senders of events authenticate (`server.auth`); any configured method suffices.
public struct AuthConfig: Sendable, Hashable {
    /// `Authorization: Bearer <token>`.
    public var bearerToken: SecretSource?
    /// The header that carries a shared secret, such as `X-Vapi-Secret`.
    public var sharedSecretHeader: String?
    /// The shared secret's value.
    public var sharedSecret: SecretSource?
    /// The key of `X-Outcomed-Signature` HMACs.
    public var hmacSecret: SecretSource?

    /// No authentication.
    public init(bearerToken: SecretSource? = nil, sharedSecretHeader: String? = nil, sharedSecret: SecretSource? = nil, hmacSecret: SecretSource? = nil) {
        self.bearerToken = bearerToken
        self.sharedSecretHeader = sharedSecretHeader
        self.sharedSecret = sharedSecret
        self.hmacSecret = hmacSecret
    }

    /// Whether no method is configured.
    public var isEmpty: Bool { bearerToken == nil && sharedSecret == nil && hmacSecret == nil }

    /// Every configured secret.
    public var secrets: [SecretSource] { [bearerToken, sharedSecret, hmacSecret].compactMap { $0 } }
}
