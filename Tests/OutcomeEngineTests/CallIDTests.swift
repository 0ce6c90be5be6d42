import Testing
@testable import OutcomeEngine

/// A call id names the call that is PATCHed, so it is taken exactly as sent or refused.
struct CallIDTests {
    @Test(arguments: [
        (#"{"id":"victim-42\u0000attacker"}"#, "id contains the control character U+0000"),
        (#"{"data":{"id":"a\nb"}}"#, "data.id contains the control character U+000A"),
        (#"{"message":{"type":"end-of-call-report","call":{"id":"x\u007f"}}}"#, "message.call.id contains the control character U+007F"),
        (#"{"event":"call_ended","call":{"call_id":"x\u0085y"}}"#, "call.call_id contains the control character U+0085"),
        (#"{"id":1.5}"#, "id is the number 1.5; a numeric call id must be a whole number written in digits"),
        (#"{"id":1e20}"#, "id is the number 1e+20; a numeric call id must be a whole number written in digits"),
        (#"{"id":true}"#, "id is true; a call id must be a string or a whole number"),
        (#"{"id":{"a":1}}"#, "id is {1 keys}; a call id must be a string or a whole number"),
    ])
    func unusableCallIDsAreRefusedWithTheirPath(body: String, detail: String) throws {
        #expect(throws: EventError.invalidCallID(detail)) { try CallEvent.normalize(bytes: Array(body.utf8)) }
    }

    @Test func anIDLongerThan256BytesIsRefused() throws {
        let longest = String(repeating: "é", count: 128)
        #expect(try callID(#"{"id":"\#(longest)"}"#) == longest)
        #expect(throws: EventError.invalidCallID("id is 258 bytes long; at most 256 are accepted")) {
            try CallEvent.normalize(bytes: Array(#"{"id":"\#(longest)é"}"#.utf8))
        }
    }

    @Test(arguments: [
        ("9007199254740993", "9007199254740993"),
        ("9007199254740992", "9007199254740992"),
        ("123456789012345678901234567890", "123456789012345678901234567890"),
        ("-9007199254740993", "-9007199254740993"),
        ("900719925474099", "900719925474099"),
        ("12", "12"),
        ("0", "0"),
        ("1.0", "1"),
        ("1e2", "100"),
    ])
    func numericIDsKeepTheDigitsTheSenderWrote(literal: String, expected: String) throws {
        #expect(try callID(#"{"id":\#(literal)}"#) == expected)
        #expect(try callID(#"{"event":"call_ended","call":{"call_id":\#(literal)}}"#) == expected)
    }

    @Test func twoIDsADoubleCannotTellApartStayTwoCalls() throws {
        #expect(try callID(#"{"id":9007199254740993}"#) != callID(#"{"id":9007199254740992}"#))
    }

    @Test func aLongIntegerKeepsItsDigitsWhenSerialized() throws {
        let value = try JSONParser().parse(#"{"n":12345678901234567890,"m":2.5}"#)
        #expect(value.serialized() == #"{"m":2.5,"n":12345678901234567890}"#)
        #expect(value["n"] == .number(Double("12345678901234567890") ?? 0), "compared as a number, whatever its digits")
    }

    @Test func textOutsideTheControlRangesIsKeptWhole() throws {
        #expect(try callID(#"{"id":"call:é/ü 42\u00a0x"}"#) == "call:é/ü 42\u{a0}x")
    }

    private func callID(_ body: String) throws -> String? {
        guard case .event(let event) = try CallEvent.normalize(bytes: Array(body.utf8)) else { return nil }
        return event.callID
    }
}
