extension PhraseAutomaton {
    /// The automaton's tables as plain pointers, valid while the automaton lives. A matcher
    /// holds these rather than the automaton: copying a reference to the automaton, which every
    /// replay thread shares, counted it up and down from both threads once per turn, a fifth of
    /// `replay`'s CPU.
    struct Tables {
        let vocabularySize: Int
        /// From the root, by word id; 0 (the root) when no phrase starts with that word.
        let rootNext: UnsafeMutableBufferPointer<Int32>
        /// Each other state's children, as ranges `childStart[s]..<childStart[s + 1]` of `childWord`/`childTarget`.
        let childStart: UnsafeMutableBufferPointer<Int32>
        let childWord: UnsafeMutableBufferPointer<Int32>
        let childTarget: UnsafeMutableBufferPointer<Int32>
        let fail: UnsafeMutableBufferPointer<Int32>
        /// The phrases that end in each state (its own and its suffixes'), as ranges of `outputs`.
        let outputStart: UnsafeMutableBufferPointer<Int32>
        let outputs: UnsafeMutableBufferPointer<Int32>
        let lengths: UnsafeMutableBufferPointer<Int32>
        /// Every transition, `dense[state * vocabularySize + word]`, when that table has at most
        /// `denseLimit` entries; otherwise empty, and `step` follows children and failure links.
        let dense: UnsafeMutableBufferPointer<Int32>

        /// The state after `word` (a word id, or -1 for a word no phrase has) in `state`.
        @inline(__always)
        func step(_ state: Int32, _ word: Int32) -> Int32 {
            guard word >= 0 else { return 0 }
            if !dense.isEmpty { return dense[Int(state) &* vocabularySize &+ Int(word)] }
            var current = Int(state)
            while current != 0 {
                var child = Int(childStart[current])
                let end = Int(childStart[current + 1])
                while child < end {
                    if childWord[child] == word { return childTarget[child] }
                    child += 1
                }
                current = Int(fail[current])
            }
            return Int(word) < vocabularySize ? rootNext[Int(word)] : 0
        }

        /// The phrases that end on entering `state`, as indices into `output(_:)`.
        @inline(__always)
        func outputRange(_ state: Int32) -> Range<Int> {
            Int(outputStart[Int(state)])..<Int(outputStart[Int(state) + 1])
        }

        /// The phrase id at `index` of an `outputRange`.
        @inline(__always)
        func output(_ index: Int) -> Int32 { outputs[index] }

        /// The number of words in phrase `phrase`.
        @inline(__always)
        func length(of phrase: Int32) -> Int32 { lengths[Int(phrase)] }

        /// Frees every table; only the automaton that allocated them calls it, from its deinit.
        func deallocate() {
            for table in [rootNext, childStart, childWord, childTarget, fail, outputStart, outputs, lengths, dense] {
                table.deallocate()
            }
        }
    }
}
