import Testing
@testable import OutcomeEngine

struct CallEventTests {
    @Test(arguments: [
        ("commvoice-envelope-not-interested.json", "9b1f6c2e-4d1a-4a8e-9f3e-1c2d3e4f5a6b", EventShape.commVoiceEnvelope, 5),
        ("commvoice-bare-lead.json", "2f0c9a7d-0b6e-4c1b-8a55-7e0e5d4c3b2a", .commVoiceBare, 5),
        ("commvoice-envelope-voicemail-numeric-id.json", "90817", .commVoiceEnvelope, 2),
        ("commvoice-envelope-dnc-with-logs.json", "c7d1e2f3-a4b5-4c6d-8e9f-0a1b2c3d4e5f", .commVoiceEnvelope, 3),
        ("vapi-end-of-call-report-callback.json", "5e8a1f0c-3b7d-4e2a-9c61-2d4f8b0a7e13", .vapi, 4),
        ("retell-call-analyzed-wrong-number.json", "Jabr9TXYYJHfvl6Syypi88rdAHYHmcq6", .retell, 2),
    ])
    func normalisesEachFixture(file: String, callID: String, shape: EventShape, turns: Int) throws {
        let event = try Fixtures.event(file)
        #expect(event.callID == callID)
        #expect(event.shape == shape)
        #expect(event.transcript.turns.count == turns)
    }

    @Test func vapiMessagesMapRolesAndKeepTheSystemPromptAsOther() throws {
        let event = try Fixtures.event("vapi-end-of-call-report-callback.json")
        #expect(event.transcript.turns.map(\.speaker) == [.other, .agent, .customer, .agent])
        #expect(event.call["endedReason"] == .string("customer-ended-call"))
    }

    @Test func chatAsAJSONEncodedArrayIsReadByRole() throws {
        let event = try Fixtures.event("commvoice-envelope-voicemail-numeric-id.json")
        #expect(event.transcript.turns.map(\.speaker) == [.agent, .customer])
        #expect(event.transcript.turns[1].text.hasPrefix("You've reached the voicemail"))
    }

    @Test func retellTranscriptObjectWinsOverTheString() throws {
        let event = try Fixtures.event("retell-call-analyzed-wrong-number.json")
        #expect(event.transcript.turns == [
            Turn(speaker: .agent, text: "Hi, this is Ava from Brightside Solar."),
            Turn(speaker: .customer, text: "Wrong number, there's no Jordan here."),
        ])
    }

    @Test func aVapiStatusUpdateIsIgnored() throws {
        #expect(try CallEvent.normalize(bytes: Fixtures.bytes("vapi-status-update.json")) == .ignored("vapi message type status-update"))
    }

    @Test func aRetellCallStartedIsIgnored() throws {
        let body = JSONValue.object(["event": .string("call_started"), "call": .object(["call_id": .string("r1")])])
        #expect(try CallEvent.normalize(body) == .ignored("retell event call_started"))
    }

    @Test(arguments: [
        JSONValue.object(["data": .object(["id": .null])]),
        .object(["id": .string("")]),
        .object(["message": .object(["type": .string("end-of-call-report"), "call": .object([:])])]),
        .object(["event": .string("call_ended"), "call": .object(["agent_id": .string("a")])]),
        .object(["hello": .string("world")]),
        .object(["data": .object(["name": .string("no id")])]),
    ])
    func aBodyWithoutACallIDIsRejected(body: JSONValue) {
        #expect(throws: EventError.self) { try CallEvent.normalize(body) }
    }

    @Test func aBodyThatIsNotAnObjectIsRejected() {
        #expect(throws: EventError.notAnObject) { try CallEvent.normalize(.array([])) }
    }

    @Test func envelopeTranscriptStringWinsOverChat() throws {
        let body = JSONValue.object(["data": .object([
            "id": .number(7), "transcript": .string("User: from transcript"), "chat": .string("User: from chat"),
        ])])
        guard case .event(let event) = try CallEvent.normalize(body) else { Issue.record("ignored"); return }
        #expect(event.callID == "7")
        #expect(event.transcript.turns == [Turn(speaker: .customer, text: "from transcript")])
    }

    @Test func aNullTranscriptFallsBackToChat() throws {
        let body = JSONValue.object(["id": .string("b1"), "transcript": .null, "chat": .string("AI: hello")])
        guard case .event(let event) = try CallEvent.normalize(body) else { Issue.record("ignored"); return }
        #expect(event.transcript.turns == [Turn(speaker: .agent, text: "hello")])
    }

    @Test(arguments: [
        (12.0, "12"), (90817.0, "90817"), (15551234567.0, "15551234567"), (-3.0, "-3"),
    ])
    func numericIDsAreDecimalStrings(number: Double, expected: String) throws {
        guard case .event(let event) = try CallEvent.normalize(.object(["id": .number(number)])) else { return }
        #expect(event.callID == expected)
    }

    @Test func currentOutcomeIsTheCallOutcomeField() throws {
        #expect(try Fixtures.event("commvoice-envelope-dnc-with-logs.json").currentOutcome == "not_interested")
        #expect(try Fixtures.event("commvoice-bare-lead.json").currentOutcome == nil)
    }
}
