import Testing
@testable import OutcomeDaemon

struct ConstantTimeTests {
    @Test(arguments: [
        ("secret", "secret", true),
        ("secret", "secreT", false),
        ("secret", "secre", false),
        ("secret", "secrets", false),
        ("", "", true),
        ("x", "", false),
        ("", "x", false),
        (String(repeating: "ab", count: 129), "ab", false),
        (String(repeating: "ab", count: 128) + "ab", "ab", false),
    ])
    func comparesWholeSecrets(presented: String, secret: String, equal: Bool) {
        #expect(ConstantTime.equals(Array(presented.utf8), Array(secret.utf8)) == equal)
    }
}
