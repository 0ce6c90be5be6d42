import Testing
@testable import OutcomeEngine

/// The ASCII fast path gives the same words, ids and clauses as `Tokenizer`.
struct AsciiWordsTests {
    static let words = ["no", "not", "dont", "call", "me", "back", "abcdefgh", "abcdefghi", "appointment", "x1", "42", "a"]

    struct Found: WordSink {
        var words: [[Int32]] = []
        mutating func feed(_ word: Int32, clause: Int32) { words.append([word, clause]) }
    }

    static func vocabulary() -> Vocabulary {
        var vocabulary = Vocabulary()
        for word in words { vocabulary.intern(word) }
        return vocabulary
    }

    static func viaTokenizer(_ text: String, _ vocabulary: Vocabulary) -> ([[Int32]], Int32) {
        let ids = Dictionary(uniqueKeysWithValues: (0..<vocabulary.count).map { (vocabulary.word(Int32($0)), Int32($0)) })
        var clause: Int32 = 3
        var found: [[Int32]] = []
        Tokenizer.forEachWord(in: text, clause: &clause) { word, _, clause in
            found.append([ids[String(decoding: word, as: UTF8.self)] ?? -1, clause])
        }
        return (found, clause)
    }

    static func viaAsciiWords(_ text: String, _ vocabulary: Vocabulary, scratch size: Int) -> ([[Int32]], Int32) {
        let ids = Dictionary(uniqueKeysWithValues: (0..<vocabulary.count).map { (vocabulary.word(Int32($0)), Int32($0)) })
        let words = AsciiWords(vocabulary)
        let scratch = UnsafeMutableBufferPointer<UInt8>.allocate(capacity: size)
        defer { scratch.deallocate() }
        var clause: Int32 = 3
        var found = Found()
        Array(text.utf8).withUnsafeBufferPointer { bytes in
            words.forEachWord(in: bytes, clause: &clause, scratch: scratch, long: { ids[String(decoding: $0, as: UTF8.self)] ?? -1 }, into: &found)
        }
        return (found.words, clause)
    }

    @Test(arguments: [
        "", "   ", "no", "Don't call me back.", "DONT, CALL\nme back!", "abcdefgh abcdefghi abcdefghij",
        "'''", "'no'", "x1 X1 42 4'2 a", "appoint'ment? Appointment", "me\r\nback;no:not", "ABCDEFGH",
    ])
    func fixedTexts(text: String) {
        let vocabulary = Self.vocabulary()
        let expected = Self.viaTokenizer(text, vocabulary)
        let got = Self.viaAsciiWords(text, vocabulary, scratch: 11)
        #expect(got.0 == expected.0)
        #expect(got.1 == expected.1)
    }

    @Test func randomTextsAgreeWithTheTokenizer() {
        let vocabulary = Self.vocabulary()
        let pieces = Self.words + ["NO", "Dont", "don't", "abcdefghijklm", "CALL", "z", " ", " ", ", ", ".", "'", "\n", "-", "!", "?", ":", "\t"]
        var seed: UInt64 = 11
        for _ in 0..<500 {
            var text = ""
            for _ in 0..<30 {
                seed = seed &* 6364136223846793005 &+ 1442695040888963407
                text += pieces[Int((seed >> 33) % UInt64(pieces.count))]
            }
            let expected = Self.viaTokenizer(text, vocabulary)
            let got = Self.viaAsciiWords(text, vocabulary, scratch: 11)
            #expect(got.0 == expected.0, "\(text.debugDescription)")
            #expect(got.1 == expected.1)
        }
    }
}
