/// The words that phrases and negators use, each with a dense id; `PhraseTable` builds the
/// hash table that looks them up by folded bytes without allocating.
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
    private var ids: [String: Int32] = [:]
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
        if let id = ids[word] { return id }
        let id = Int32(hashes.count)
        var word = word
        word.withUTF8 { buffer in
            bytes.append(contentsOf: buffer)
            hashes.append(Tokenizer.hash(buffer))
        }
        starts.append(bytes.count)
        isNegator.append(false)
        ids[word] = id
        return id
    }
}
