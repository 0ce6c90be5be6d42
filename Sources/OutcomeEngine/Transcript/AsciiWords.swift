/// Tokenises ASCII text as `Tokenizer` does (letters folded, apostrophes dropped, clause breaks
/// counted) and names each word's vocabulary id in the same pass: a word of up to 8 bytes is
/// read as one integer and found in a small open-addressing table, with no per-byte state.
/// Immutable after `init`; it owns its memory.
final class AsciiWords: @unchecked Sendable {
    /// Byte classes.
    static let letter: UInt8 = 0
    static let apostrophe: UInt8 = 1
    static let clauseBreak: UInt8 = 2
    static let separator: UInt8 = 3

    private let classes: UnsafeMutableBufferPointer<UInt8>
    /// Words of up to 8 bytes, as little-endian integers of their folded bytes (0 = empty slot).
    private let keys: UnsafeMutableBufferPointer<UInt64>
    private let ids: UnsafeMutableBufferPointer<Int32>
    private let shift: UInt64

    /// Builds the table over `vocabulary`'s words of at most 8 ASCII lowercase letters and digits.
    init(_ vocabulary: Vocabulary) {
        var classTable = [UInt8](repeating: Self.separator, count: 256)
        for byte in 0..<256 {
            switch byte {
            case 0x30...0x39, 0x41...0x5A, 0x61...0x7A: classTable[byte] = Self.letter
            case 0x27: classTable[byte] = Self.apostrophe
            case 0x2C, 0x3B, 0x3A, 0x2E, 0x21, 0x3F, 0x0A, 0x0D: classTable[byte] = Self.clauseBreak
            default: break
            }
        }
        var bits: UInt64 = 4
        while (1 << bits) < vocabulary.count * 4 { bits += 1 }
        let shift = 64 - bits
        var keyTable = [UInt64](repeating: 0, count: 1 << bits)
        var idTable = [Int32](repeating: -1, count: 1 << bits)
        for id in 0..<vocabulary.count {
            let word = Array(vocabulary.word(Int32(id)).utf8)
            guard !word.isEmpty, word.count <= 8, word.allSatisfy({ (0x30...0x39).contains($0) || (0x61...0x7A).contains($0) }) else { continue }
            let key = word.withUnsafeBufferPointer { Self.key($0) }
            var slot = Int(Self.hash(key, shift))
            while keyTable[slot] != 0 { slot = (slot + 1) & (keyTable.count - 1) }
            keyTable[slot] = key
            idTable[slot] = Int32(id)
        }
        classes = .copying(classTable)
        keys = .copying(keyTable)
        ids = .copying(idTable)
        self.shift = shift
    }

    deinit {
        classes.deallocate()
        keys.deallocate()
        ids.deallocate()
    }

    @inline(__always)
    private static func hash(_ key: UInt64, _ shift: UInt64) -> UInt64 {
        (key &* 0x9E37_79B9_7F4A_7C15) &>> shift
    }

    /// Up to 8 bytes as a little-endian integer.
    @inline(__always)
    private static func key(_ bytes: UnsafeBufferPointer<UInt8>) -> UInt64 {
        var key: UInt64 = 0
        for offset in 0..<bytes.count { key |= UInt64(bytes[offset]) &<< (8 &* UInt64(offset)) }
        return key
    }

    /// The id of a folded word of 1 to 8 bytes given as its integer, or -1.
    @inline(__always)
    private func id(ofKey key: UInt64) -> Int32 {
        let mask = keys.count - 1
        var slot = Int(Self.hash(key, shift))
        while true {
            let found = keys[slot]
            if found == key { return ids[slot] }
            if found == 0 { return -1 }
            slot = (slot + 1) & mask
        }
    }

    /// Feeds `sink` each word's id (-1 when it is not in the vocabulary) and clause number, for
    /// ASCII `bytes`. Words longer than 8 bytes, or with apostrophes, are folded into `scratch`
    /// (of at least 8 bytes; a word that does not fit is unknown) and those still longer than
    /// 8 bytes are named by `long`. Clause numbers start at `clause` and grow as `Tokenizer`'s do.
    @inline(__always)
    func forEachWord<Sink: WordSink>(
        in bytes: UnsafeBufferPointer<UInt8>,
        clause: inout Int32,
        scratch: UnsafeMutableBufferPointer<UInt8>,
        long: (UnsafeBufferPointer<UInt8>) -> Int32,
        into sink: inout Sink
    ) {
        guard let base = bytes.baseAddress else {
            clause += 1
            return
        }
        // A local copy, so the sink's state can live in registers rather than behind the inout.
        var local = sink
        defer { sink = local }
        let classes = UnsafeBufferPointer(self.classes)
        let count = bytes.count
        var index = 0
        while index < count {
            let kind = classes[Int(base[index])]
            if kind > Self.apostrophe {
                if kind == Self.clauseBreak { clause += 1 }
                index += 1
                continue
            }
            let start = index
            var seen = kind
            index += 1
            while index < count {
                let next = classes[Int(base[index])]
                if next > Self.apostrophe { break }
                seen |= next
                index += 1
            }
            let length = index - start
            if seen == Self.letter, length <= 8 {
                let key = start + 8 <= count
                    ? UInt64(littleEndian: UnsafeRawPointer(base + start).loadUnaligned(as: UInt64.self))
                    : Self.key(UnsafeBufferPointer(start: base + start, count: length))
                let mask: UInt64 = length == 8 ? ~0 : (1 &<< (8 &* UInt64(length))) &- 1
                local.feed(id(ofKey: (key | 0x2020_2020_2020_2020) & mask), clause: clause)
                continue
            }
            var folded = 0
            var fits = true
            for offset in start..<index where base[offset] != 0x27 {
                guard folded < scratch.count else {
                    fits = false
                    break
                }
                scratch[folded] = base[offset] | 0x20
                folded += 1
            }
            guard folded > 0 else { continue }
            let word = UnsafeBufferPointer(rebasing: scratch[0..<folded])
            if !fits {
                local.feed(-1, clause: clause)
            } else if folded <= 8 {
                local.feed(id(ofKey: Self.key(word)), clause: clause)
            } else {
                local.feed(long(word), clause: clause)
            }
        }
        clause += 1
    }
}
