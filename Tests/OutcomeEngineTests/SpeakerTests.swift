import Testing
@testable import OutcomeEngine

/// The byte-level speaker prefix reads what the string one does.
struct SpeakerTests {
    @Test(arguments: ["User", "USER", "customer", "Human", "caller", "LEAD", "Contact", "AI", "ai", "Assistant", "bot", "Agent",
                      "", "us", "users", "user\u{0}", "Userx", "Kontact", "Üser", "système", "A I", "assistants"])
    func bytesAndStringsAgree(prefix: String) {
        let viaBytes = Array(prefix.utf8).withUnsafeBufferPointer { Speaker(prefix: $0) }
        #expect(viaBytes == Speaker(prefix: prefix))
    }
}
