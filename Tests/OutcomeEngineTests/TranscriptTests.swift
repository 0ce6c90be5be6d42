import Testing
@testable import OutcomeEngine

struct TranscriptTests {
    @Test(arguments: [
        ("User", Speaker.customer), ("customer", .customer), ("HUMAN", .customer), ("Caller", .customer),
        ("lead", .customer), ("Contact", .customer), ("AI", .agent), ("assistant", .agent), ("Bot", .agent),
        ("AGENT", .agent),
    ])
    func everyPrefixMapsToItsSpeaker(prefix: String, speaker: Speaker) {
        #expect(Transcript(plainText: "\(prefix): hello").turns == [Turn(speaker: speaker, text: "hello")])
    }

    @Test func aLineWithoutAPrefixContinuesTheTurn() {
        let transcript = Transcript(plainText: "AI: Hello.\nUser: I'm busy.\nCall me later.\n\nAI: Sure.")
        #expect(transcript.turns == [
            Turn(speaker: .agent, text: "Hello."),
            Turn(speaker: .customer, text: "I'm busy.\nCall me later."),
            Turn(speaker: .agent, text: "Sure."),
        ])
    }

    @Test func textBeforeAnyPrefixIsOther() {
        #expect(Transcript(plainText: "Call started\nUser: hi").turns.map(\.speaker) == [.other, .customer])
    }

    @Test func aColonInsideTheTextIsNotAPrefix() {
        let transcript = Transcript(plainText: "User: the time is 10:30\nNote: not a speaker")
        #expect(transcript.turns == [Turn(speaker: .customer, text: "the time is 10:30\nNote: not a speaker")])
    }

    @Test(arguments: [
        ("user", Speaker.customer), ("customer", .customer), ("bot", .agent), ("assistant", .agent),
        ("agent", .agent), ("system", .other), ("tool", .other), ("function", .other),
    ])
    func rolesMapToSpeakers(role: String, speaker: Speaker) {
        #expect(Speaker(role: role) == speaker)
    }

    @Test func messagesReadMessageContentOrText() {
        let transcript = Transcript(messages: [
            .object(["role": .string("user"), "message": .string("a")]),
            .object(["role": .string("assistant"), "content": .string("b")]),
            .object(["role": .string("user"), "text": .string("c")]),
            .object(["role": .string("tool_calls")]),
        ])
        #expect(transcript.turns.map(\.text) == ["a", "b", "c"])
    }

    @Test(arguments: [
        ("Don't", ["dont"]), ("don’t call", ["dont", "call"]), ("Café CRÈME", ["cafe", "creme"]),
        ("follow-up", ["follow", "up"]), ("call... back!", ["call", "back"]), ("R2-D2 x_y", ["r2", "d2", "x", "y"]),
        ("Señor Ñandú", ["senor", "nandu"]), ("", []),
    ])
    func wordsAreFoldedRunsOfLettersAndDigits(text: String, words: [String]) {
        #expect(Tokenizer.words(text) == words)
    }
}
