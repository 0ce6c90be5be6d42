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
