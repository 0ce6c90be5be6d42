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

    /// A hash of a folded word, eight bytes at a time; the vocabulary uses the same function.
    @inlinable
    public static func hash(_ bytes: UnsafeBufferPointer<UInt8>) -> UInt64 {
        var h = UInt64(truncatingIfNeeded: bytes.count) &* 0x9E37_79B9_7F4A_7C15
        var index = 0
        let count = bytes.count
        if let base = bytes.baseAddress {
            while index + 8 <= count {
                let chunk = UnsafeRawPointer(base + index).loadUnaligned(as: UInt64.self)
                h = (h ^ chunk) &* 0xBF58_476D_1CE4_E5B9
                h ^= h >> 31
                index += 8
            }
        }
        if index < count {
            var tail: UInt64 = 0
            var shift: UInt64 = 0
            while index < count {
                tail |= UInt64(bytes[index]) << shift
                shift += 8
                index += 1
            }
            h = (h ^ tail) &* 0x94D0_49BB_1331_11EB
        }
        return h ^ (h >> 29)
    }

    @inlinable
    static func isASCII(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        var accumulated: UInt8 = 0
        for b in bytes { accumulated |= b }
        return accumulated < 0x80
    }

    /// Per ASCII byte: its folded letter or digit, or `apostrophe`, `clauseBreak` or `separator`.
    @usableFromInline
    static let asciiClasses: [UInt8] = (0..<256).map { (byte: Int) -> UInt8 in
        switch byte {
        case 0x41...0x5A: return UInt8(byte | 0x20)
        case 0x61...0x7A, 0x30...0x39: return UInt8(byte)
        case 0x27: return apostrophe
        case 0x2C, 0x3B, 0x3A, 0x2E, 0x21, 0x3F, 0x0A, 0x0D: return clauseBreak
        default: return separator
        }
    }

    @usableFromInline static let separator: UInt8 = 0
    @usableFromInline static let clauseBreak: UInt8 = 1
    @usableFromInline static let apostrophe: UInt8 = 2

    @inlinable
    static func scanASCII(
        _ bytes: UnsafeBufferPointer<UInt8>,
        clause: inout Int32,
        _ body: (UnsafeBufferPointer<UInt8>, UInt64, Int32) -> Void
    ) {
        asciiClasses.withUnsafeBufferPointer { classes in
            withUnsafeTemporaryAllocation(of: UInt8.self, capacity: max(bytes.count, 1)) { word in
                var length = 0
                for byte in bytes {
                    let folded = classes[Int(byte)]
                    if folded >= 0x30 {
                        word[length] = folded
                        length += 1
                        continue
                    }
                    if folded == apostrophe { continue }
                    if length > 0 {
                        let text = UnsafeBufferPointer(rebasing: word[0..<length])
                        body(text, hash(text), clause)
                        length = 0
                    }
                    if folded == clauseBreak { clause += 1 }
                }
                if length > 0 {
                    let text = UnsafeBufferPointer(rebasing: word[0..<length])
                    body(text, hash(text), clause)
                }
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
