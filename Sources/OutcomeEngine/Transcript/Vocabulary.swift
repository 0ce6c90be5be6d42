/// The words that phrases and negators use, each with a dense id, looked up by folded bytes
/// without allocating.
public struct Vocabulary: Sendable {
    /// The negators of SPEC §3, in folded form.
    public static let negators: [String] = [
        "no", "not", "never", "dont", "doesnt", "didnt", "isnt", "arent", "wasnt", "werent", "wont",
        "cant", "cannot", "couldnt", "shouldnt", "wouldnt", "aint", "nothing", "nobody", "neither",
        "nor", "without", "hardly",
    ]

    private(set) var bytes: [UInt8] = []
    private(set) var starts: [Int] = [0]
    private(set) var hashes: [UInt64] = []
    private(set) var slots: [Int32] = Array(repeating: -1, count: 64)
    /// Whether each word id is a negator.
    public private(set) var isNegator: [Bool] = []

    /// Creates a vocabulary that already holds the negators.
    public init() {
        for negator in Self.negators {
            let id = intern(negator)
            isNegator[Int(id)] = true
        }
    }

    /// How many words it holds.
    public var count: Int { hashes.count }

    /// The word with id `id`.
    public func word(_ id: Int32) -> String {
        String(decoding: bytes[starts[Int(id)]..<starts[Int(id) + 1]], as: UTF8.self)
    }

    /// The id of a folded word, adding it if it is new.
    @discardableResult
    public mutating func intern(_ word: String) -> Int32 {
        var word = word
        return word.withUTF8 { buffer in
            let h = Tokenizer.hash(buffer)
            if let id = lookup(buffer, hash: h) { return id }
            let id = Int32(hashes.count)
            bytes.append(contentsOf: buffer)
            starts.append(bytes.count)
            hashes.append(h)
            isNegator.append(false)
            if hashes.count * 2 > slots.count { rehash(capacity: slots.count * 2) } else { insert(id, hash: h) }
            return id
        }
    }

    /// The id of a folded word, or nil when no phrase or negator uses it.
    public func lookup(_ word: UnsafeBufferPointer<UInt8>, hash: UInt64) -> Int32? {
        let mask = slots.count - 1
        var slot = Int(truncatingIfNeeded: hash) & mask
        while true {
            let id = slots[slot]
            if id < 0 { return nil }
            if hashes[Int(id)] == hash {
                let start = starts[Int(id)]
                let end = starts[Int(id) + 1]
                if end - start == word.count {
                    var equal = true
                    for i in 0..<word.count where bytes[start + i] != word[i] {
                        equal = false
                        break
                    }
                    if equal { return id }
                }
            }
            slot = (slot + 1) & mask
        }
    }

    private mutating func insert(_ id: Int32, hash: UInt64) {
        let mask = slots.count - 1
        var slot = Int(truncatingIfNeeded: hash) & mask
        while slots[slot] >= 0 { slot = (slot + 1) & mask }
        slots[slot] = id
    }

    private mutating func rehash(capacity: Int) {
        slots = Array(repeating: -1, count: capacity)
        for id in hashes.indices { insert(Int32(id), hash: hashes[id]) }
    }
}
