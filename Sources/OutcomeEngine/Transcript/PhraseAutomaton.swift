/// Every phrase of a rule set as one Aho–Corasick automaton over word ids: fed a turn's words
/// one at a time, it names the phrases that end at each word in about one step per word, however
/// many phrases there are. Immutable after `init`; it owns its memory.
final class PhraseAutomaton: @unchecked Sendable {
    /// The most words in one phrase.
    let longestPhrase: Int
    /// Whether any phrase has words (an automaton without them never matches).
    let isEmpty: Bool
    /// The transitions and outputs, as plain pointers that this automaton owns.
    let tables: Tables

    /// Builds the automaton over `phrases` (each a list of word ids below `vocabularySize`).
    init(phrases: [[Int32]], vocabularySize: Int, denseLimit: Int = 1 << 20) {
        var children: [[Int32: Int32]] = [[:]]
        var ending: [[Int32]] = [[]]
        for (phrase, words) in phrases.enumerated() where !words.isEmpty {
            var state: Int32 = 0
            for word in words {
                if let next = children[Int(state)][word] {
                    state = next
                } else {
                    let next = Int32(children.count)
                    children.append([:])
                    ending.append([])
                    children[Int(state)][word] = next
                    state = next
                }
            }
            ending[Int(state)].append(Int32(phrase))
        }
        let stateCount = children.count
        var failLinks = [Int32](repeating: 0, count: stateCount)
        var output = ending
        var queue: [Int32] = children[0].keys.sorted().compactMap { children[0][$0] }
        var head = 0
        while head < queue.count {
            let state = queue[head]
            head += 1
            output[Int(state)] += output[Int(failLinks[Int(state)])]
            for word in children[Int(state)].keys.sorted() {
                guard let child = children[Int(state)][word] else { continue }
                var fallback = failLinks[Int(state)]
                while fallback != 0, children[Int(fallback)][word] == nil { fallback = failLinks[Int(fallback)] }
                failLinks[Int(child)] = children[Int(fallback)][word] ?? 0
                queue.append(child)
            }
        }
        var root = [Int32](repeating: 0, count: max(vocabularySize, 1))
        for (word, child) in children[0] { root[Int(word)] = child }
        var starts: [Int32] = [0], words: [Int32] = [], targets: [Int32] = []
        var outStarts: [Int32] = [0], outs: [Int32] = []
        for state in 0..<stateCount {
            for word in children[state].keys.sorted() {
                words.append(word)
                targets.append(children[state][word] ?? 0)
            }
            starts.append(Int32(words.count))
            outs.append(contentsOf: output[state])
            outStarts.append(Int32(outs.count))
        }
        var table: [Int32] = []
        if stateCount * root.count <= denseLimit {
            table = [Int32](repeating: 0, count: stateCount * root.count)
            for word in 0..<root.count { table[word] = root[word] }
            // Breadth-first, so a state's failure target is filled in before the state.
            for state in queue {
                let row = Int(state) * root.count, fallback = Int(failLinks[Int(state)]) * root.count
                for word in 0..<root.count { table[row + word] = children[Int(state)][Int32(word)] ?? table[fallback + word] }
            }
        }
        longestPhrase = phrases.map(\.count).max() ?? 0
        isEmpty = stateCount == 1
        tables = Tables(
            vocabularySize: root.count, rootNext: .copying(root), childStart: .copying(starts), childWord: .copying(words.isEmpty ? [-1] : words),
            childTarget: .copying(targets.isEmpty ? [0] : targets), fail: .copying(failLinks), outputStart: .copying(outStarts),
            outputs: .copying(outs.isEmpty ? [0] : outs), lengths: .copying(phrases.isEmpty ? [0] : phrases.map { Int32($0.count) }),
            dense: .copying(table)
        )
    }

    deinit {
        tables.deallocate()
    }
}
