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
    /// The Retell API key that signs `X-Retell-Signature`.
    public var retellAPIKey: SecretSource?
    /// Vapi's HMAC credential.
    public var vapiHMAC: VapiHMACConfig?

    /// No authentication.
    public init(
        bearerToken: SecretSource? = nil,
        sharedSecretHeader: String? = nil,
        sharedSecret: SecretSource? = nil,
        hmacSecret: SecretSource? = nil,
        retellAPIKey: SecretSource? = nil,
        vapiHMAC: VapiHMACConfig? = nil
    ) {
        self.bearerToken = bearerToken
        self.sharedSecretHeader = sharedSecretHeader
        self.sharedSecret = sharedSecret
        self.hmacSecret = hmacSecret
        self.retellAPIKey = retellAPIKey
        self.vapiHMAC = vapiHMAC
    }

    /// Whether no method is configured.
    public var isEmpty: Bool { secrets.isEmpty }

    /// Every configured secret.
    public var secrets: [SecretSource] { [bearerToken, sharedSecret, hmacSecret, retellAPIKey, vapiHMAC?.secret].compactMap { $0 } }
}
