import Testing
@testable import OutcomeEngine

/// The automaton, dense or following failure links, names exactly the phrases that a direct
/// comparison finds ending at each word.
struct PhraseAutomatonTests {
    /// Overlapping phrases, phrases inside phrases, and a repeated word, over words 0...4.
    static let phrases: [[Int32]] = [[0], [0, 1], [1, 0, 1], [0, 1, 0, 1], [2, 2], [2, 2, 2], [3, 1, 0], [1], [4, 0, 1, 2], []]

    static func naive(_ words: [Int32]) -> [[Int32]] {
        words.indices.map { end in
            phrases.indices.compactMap { phrase -> Int32? in
                let length = phrases[phrase].count
                guard length > 0, length <= end + 1 else { return nil }
                return Array(words[(end + 1 - length)...end]) == phrases[phrase] ? Int32(phrase) : nil
            }.sorted()
        }
    }

    static func found(_ words: [Int32], _ automaton: PhraseAutomaton) -> [[Int32]] {
        var state: Int32 = 0
        let tables = automaton.tables
        return words.map { word in
            state = tables.step(state, word)
            return tables.outputRange(state).map { tables.output($0) }.sorted()
        }
    }

    @Test(arguments: [0, 1 << 20])
    func findsWhatADirectComparisonFinds(denseLimit: Int) {
        let automaton = PhraseAutomaton(phrases: Self.phrases, vocabularySize: 6, denseLimit: denseLimit)
        #expect(automaton.longestPhrase == 4)
        var seed: UInt64 = 7
        for _ in 0..<300 {
            let words = (0..<40).map { _ -> Int32 in
                seed = seed &* 6364136223846793005 &+ 1442695040888963407
                let word = Int32(truncatingIfNeeded: (seed >> 33) % 7) - 1
                return word == 5 ? -1 : word
            }
            #expect(Self.found(words, automaton) == Self.naive(words), "\(words)")
        }
        for phrase in Self.phrases.indices where !Self.phrases[phrase].isEmpty {
            #expect(automaton.tables.length(of: Int32(phrase)) == Int32(Self.phrases[phrase].count))
        }
    }

    @Test func noPhrasesMeansNothingMatches() {
        let automaton = PhraseAutomaton(phrases: [[]], vocabularySize: 3)
        #expect(automaton.isEmpty)
        #expect(Self.found([0, 1, 2], automaton) == [[], [], []])
    }
}
