import Testing
@testable import OutcomeEngine

struct JSONParserTests {
    @Test func parsesEveryKindOfValue() throws {
        let value = try JSONParser().parse(#" {"a": [1, -2.5e2, true, false, null, "x\u00e9\n"], "b": {}} "#)
        #expect(value == .object([
            "a": .array([.number(1), .number(-250), .bool(true), .bool(false), .null, .string("xé\n")]),
            "b": .object([:]),
        ]))
    }

    @Test func aRepeatedMemberKeepsItsLastValueAndNonASCIITextIsKept() throws {
        let value = try JSONParser().parse(#"{"a": 1, "b": "Zoë 😀", "a": 2, "c": "plain", "a": 3}"#)
        #expect(value == .object(["a": .number(3), "b": .string("Zoë 😀"), "c": .string("plain")]))
    }

    @Test func decodesSurrogatePairs() throws {
        #expect(try JSONParser().parse(#""\ud83d\ude00""#) == .string("😀"))
    }

    @Test(arguments: [
        (#"{"a": 1,}"#, 8, "expected a member name"),
        (#"{"a" 1}"#, 5, "expected ':'"),
        ("[1, 2", 5, "unexpected end of input"),
        (#"{"data": {"id": "c1""#, 20, "unexpected end of input"),
        ("tru", 0, "unexpected end of input"),
        ("[01]", 2, "expected ',' or ']'"),
        (#""\x""#, 1, "invalid escape"),
        (#""\ud83d""#, 1, "unpaired surrogate"),
        ("{} x", 3, "unexpected data after the document"),
        ("", 0, "unexpected end of input"),
        ("\"a\tb\"", 2, "control character"),
    ])
    func reportsTheByteOffsetOfTheProblem(input: String, offset: Int, reason: String) {
        #expect {
            try JSONParser().parse(input)
        } throws: { error in
            guard let error = error as? JSONParseError else { return false }
            return error.offset == offset && error.reason.contains(reason) && error.description.hasPrefix("invalid JSON at byte \(offset): ")
        }
    }

    /// Strings are scanned eight bytes at a time: a quote, an escape or a control character at
    /// any place in a word, and text around them that is not ASCII, must be found where they are.
    @Test(arguments: 0..<20)
    func findsWhatEndsOrBreaksAStringAtEveryPlace(at place: Int) throws {
        let before = String(repeating: "é", count: place / 2) + String(repeating: "a", count: place % 2)
        let after = "bcdefghijklmnopqrstu"
        #expect(try JSONParser().parse("\"\(before)\\n\(after)\"") == .string(before + "\n" + after))
        #expect(try JSONParser().parse("[\"\(before)\",\"\(after)\"]") == .array([.string(before), .string(after)]))
        let control = "\"\(before)\u{1}\(after)\""
        #expect(throws: JSONParseError(offset: 1 + before.utf8.count, reason: "control character in a string")) { try JSONParser().parse(control) }
        let escapedThenControl = "\"\\t\(before)\u{1F}\(after)\""
        #expect(throws: JSONParseError(offset: 3 + before.utf8.count, reason: "control character in a string")) { try JSONParser().parse(escapedThenControl) }
    }

    @Test func acceptsNestingUpToTheLimitAndRejectsDeeper() throws {
        let ok = String(repeating: "[", count: 64) + String(repeating: "]", count: 64)
        _ = try JSONParser().parse(ok)
        let deep = String(repeating: "[", count: 65) + String(repeating: "]", count: 65)
        #expect(throws: JSONParseError.self) { try JSONParser().parse(deep) }
    }

    @Test func aHundredThousandDeepArrayIsAnErrorNotACrash() {
        let deep = String(repeating: "[", count: 100_000) + String(repeating: "]", count: 100_000)
        #expect(throws: JSONParseError(offset: 64, reason: "nesting deeper than 64")) { try JSONParser().parse(deep) }
    }

    @Test func rejectsInvalidUTF8InStrings() {
        let bytes: [UInt8] = Array(#"{"id": ""#.utf8) + [0xC3, 0x28] + Array(#""}"#.utf8)
        #expect {
            try JSONParser().parse(bytes)
        } throws: { error in
            (error as? JSONParseError)?.reason == "string is not valid UTF-8"
        }
    }

    @Test func rejectsInvalidUTF8OutsideStrings() {
        #expect(throws: JSONParseError.self) { try JSONParser().parse([0xFF, 0xFE]) }
    }

    @Test func serializesWithSortedKeysAndEscapes() {
        let value = JSONValue.object(["b": .number(2), "a": .string("q\"\n\u{1}"), "c": .array([.null, .bool(true), .number(1.5)])])
        #expect(value.serialized() == #"{"a":"q\"\n\u0001","b":2,"c":[null,true,1.5]}"#)
    }
}
