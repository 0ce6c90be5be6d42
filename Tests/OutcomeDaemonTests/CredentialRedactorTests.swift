import Testing
@testable import OutcomeDaemon

struct CredentialRedactorTests {
    @Test(arguments: [
        (#"{"Authorization":"Bearer abc123","Host":"x"}"#, #"{"Authorization":"[redacted]","Host":"x"}"#),
        ("Authorization: Basic dXNlcjpwYXNz\r\nHost: x", "Authorization: [redacted]\r\nHost: x"),
        (#"{"raw":"Host: x\nauthorization: Token abc\nAccept: y"}"#, #"{"raw":"Host: x\nauthorization: [redacted]\nAccept: y"}"#),
        (#"{"authorization" : 'Token xyz'}"#, #"{"authorization" : '[redacted]'}"#),
        ("authorization=abc&page=2", "authorization=[redacted]&page=2"),
        ("Proxy-Authorization: Basic eA==", "Proxy-Authorization: [redacted]"),
        ("rejected: bearer abc.def-ghi (expired)", "rejected: bearer [redacted] (expired)"),
        ("the-api-token is unknown", "[redacted] is unknown"),
        (#"{"t":"the\/api+token"}"#, #"{"t":"[redacted]"}"#),
        ("authorization failed for this call", "authorization failed for this call"),
        (#"{"message":"The call outcome field is required."}"#, #"{"message":"The call outcome field is required."}"#),
    ])
    func credentialsAreReplaced(body: String, expected: String) {
        let redactor = CredentialRedactor(token: body.contains("+") ? "the/api+token" : "the-api-token")
        #expect(String(decoding: redactor.redact(Array(body.utf8)), as: UTF8.self) == expected)
    }

    @Test func anEmptyTokenRedactsOnlyCredentialPatterns() {
        let body = Array("Bearer x and more".utf8)
        #expect(String(decoding: CredentialRedactor(token: "").redact(body), as: UTF8.self) == "Bearer [redacted] and more")
    }
}
