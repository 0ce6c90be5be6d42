/// One event being decided: the event, and its transcript analysis, computed at most once.
final class EvaluationContext {
    let event: CallEvent
    let phrases: PhraseIndex
    let table: PhraseTable
    private var cachedAnalysis: TranscriptAnalysis?

    init(event: CallEvent, phrases: PhraseIndex, table: PhraseTable) {
        self.event = event
        self.phrases = phrases
        self.table = table
    }

    var analysis: TranscriptAnalysis {
        if let cachedAnalysis { return cachedAnalysis }
        let analysis = table.analyze(event.transcript)
        cachedAnalysis = analysis
        return analysis
    }
}
