/// One event being decided: the event, and its transcript analysis, computed at most once.
final class EvaluationContext {
    let event: CallEvent
    let phrases: PhraseIndex
    private var cachedAnalysis: TranscriptAnalysis?

    init(event: CallEvent, phrases: PhraseIndex) {
        self.event = event
        self.phrases = phrases
    }

    var analysis: TranscriptAnalysis {
        if let cachedAnalysis { return cachedAnalysis }
        let analysis = phrases.analyze(event.transcript)
        cachedAnalysis = analysis
        return analysis
    }
}
