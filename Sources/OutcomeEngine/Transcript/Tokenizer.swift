import Foundation

/// Splits text into the words that phrases are matched against (SPEC §3): runs of letters and
/// digits, lowercased, with diacritics and apostrophes dropped, and clause boundaries counted.
///
/// ASCII text, which is nearly every transcript, is scanned byte by byte without allocating;
/// other text is folded with Foundation first. Both paths yield the same words for ASCII input.
public enum Tokenizer {
    /// Calls `body` with each word's folded UTF-8 bytes, its hash, and its clause number.
    /// Clause numbers start at `clause` and grow at `, ; : . ! ?` and line breaks.
    @inlinable
    public static func forEachWord(
        in text: String,
        clause: inout Int32,
        _ body: (UnsafeBufferPointer<UInt8>, UInt64, Int32) -> Void
    ) {
        var text = text
        text.makeContiguousUTF8()
        let handled: Bool? = text.utf8.withContiguousStorageIfAvailable { bytes in
            guard isASCII(bytes) else { return false }
            scanASCII(bytes, clause: &clause, body)
            return true
        }
        if handled != true {
            scanUnicode(text, clause: &clause, body)
        }
    }

    /// The folded words of `text`, as strings (for phrases and explanations).
    public static func words(_ text: String) -> [String] {
        var words: [String] = []
        var clause: Int32 = 0
        forEachWord(in: text, clause: &clause) { bytes, _, _ in
            words.append(String(decoding: bytes, as: UTF8.self))
        }
        return words
    }

    /// FNV-1a over folded bytes; the vocabulary uses the same function.
    @inlinable
    public static func hash(_ bytes: UnsafeBufferPointer<UInt8>) -> UInt64 {
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        for b in bytes { h = (h ^ UInt64(b)) &* 0x0000_0100_0000_01B3 }
        return h
    }

    @inlinable
    static func isASCII(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        var accumulated: UInt8 = 0
        for b in bytes { accumulated |= b }
        return accumulated < 0x80
    }

    @inlinable
    static func scanASCII(
        _ bytes: UnsafeBufferPointer<UInt8>,
        clause: inout Int32,
        _ body: (UnsafeBufferPointer<UInt8>, UInt64, Int32) -> Void
    ) {
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: max(bytes.count, 1)) { word in
            var length = 0
            var h: UInt64 = 0xcbf2_9ce4_8422_2325
            for b in bytes {
                var c = b
                if c &- 0x41 < 26 { c |= 0x20 }
                if c &- 0x61 < 26 || c &- 0x30 < 10 {
                    word[length] = c
                    length += 1
                    h = (h ^ UInt64(c)) &* 0x0000_0100_0000_01B3
                    continue
                }
                if c == 0x27 { continue }
                if length > 0 {
                    body(UnsafeBufferPointer(rebasing: word[0..<length]), h, clause)
                    length = 0
                    h = 0xcbf2_9ce4_8422_2325
                }
                switch c {
                case 0x2C, 0x3B, 0x3A, 0x2E, 0x21, 0x3F, 0x0A, 0x0D: clause += 1
                default: break
                }
            }
            if length > 0 {
                body(UnsafeBufferPointer(rebasing: word[0..<length]), h, clause)
            }
        }
        clause += 1
    }

    @usableFromInline
    static func scanUnicode(
        _ text: String,
        clause: inout Int32,
        _ body: (UnsafeBufferPointer<UInt8>, UInt64, Int32) -> Void
    ) {
        let folded = text.folding(options: [.caseInsensitive, .diacriticInsensitive], locale: nil).lowercased()
        var word: [UInt8] = []
        func flush() {
            guard !word.isEmpty else { return }
            word.withUnsafeBufferPointer { body($0, hash($0), clause) }
            word.removeAll(keepingCapacity: true)
        }
        for scalar in folded.unicodeScalars {
            let properties = scalar.properties
            if properties.isAlphabetic || properties.numericType != nil {
                word.append(contentsOf: String(scalar).utf8)
                continue
            }
            switch properties.generalCategory {
            case .nonspacingMark, .spacingMark, .enclosingMark: continue
            default: break
            }
            if apostrophes.contains(scalar.value) { continue }
            flush()
            if clauseBreaks.contains(scalar.value) { clause += 1 }
        }
        flush()
        clause += 1
    }

    @usableFromInline
    static let apostrophes: Set<UInt32> = [0x27, 0x2018, 0x2019, 0x02BC, 0xFF07]

    @usableFromInline
    static let clauseBreaks: Set<UInt32> = [
        0x2C, 0x3B, 0x3A, 0x2E, 0x21, 0x3F, 0x0A, 0x0D, 0x85, 0x2028, 0x2029,
        0x2026, 0x3002, 0xFF0C, 0xFF01, 0xFF1F, 0xFF1B, 0xFF1A, 0x060C, 0x061F,
    ]
}
