/// What takes a turn's words, one at a time, as ids with their clause numbers.
protocol WordSink {
    /// Takes the next word: its id (-1 for a word that is not in the vocabulary) and its clause.
    mutating func feed(_ word: Int32, clause: Int32)
}
