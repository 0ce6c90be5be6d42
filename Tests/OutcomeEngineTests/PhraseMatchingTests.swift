import Testing
@testable import OutcomeEngine

struct PhraseMatchingTests {
    struct Case: Sendable, CustomTestStringConvertible {
        var chat: String
        var phrase: String
        var expected: Bool
        var speaker: SpeakerFilter = .customer
        var respectNegation = true
        var testDescription: String { "\(phrase) in \(chat.debugDescription)" }
    }

    static func matches(_ test: Case) -> Bool {
        let condition = TranscriptCondition(speaker: test.speaker, any: [Phrase(test.phrase)], respectNegation: test.respectNegation)
        let rules = RuleSet(outcomes: ["x"], rules: [Rule(name: "r", outcome: "x", when: .transcript(condition))])
        return rules.decide(Fixtures.chat(test.chat)).action == .queued
    }

    @Test(arguments: [
        Case(chat: "User: I'm not interested", phrase: "interested", expected: false),
        Case(chat: "User: No, I'm interested", phrase: "interested", expected: true),
        Case(chat: "User: I don't think I'm interested", phrase: "interested", expected: false),
    ])
    func theSpecExamples(test: Case) {
        #expect(Self.matches(test) == test.expected)
    }

    @Test(arguments: [
        Case(chat: "User: Not now. I am interested", phrase: "interested", expected: true),
        Case(chat: "User: not today; interested later", phrase: "interested", expected: true),
        Case(chat: "User: no: interested", phrase: "interested", expected: true),
        Case(chat: "User: No! Interested!", phrase: "interested", expected: true),
        Case(chat: "User: no? interested", phrase: "interested", expected: true),
        Case(chat: "User: no\ninterested", phrase: "interested", expected: true),
        Case(chat: "User: no - interested", phrase: "interested", expected: false),
        Case(chat: "User: never\nUser: interested", phrase: "interested", expected: true),
        Case(chat: "User: I never said that I was interested", phrase: "interested", expected: true),
        Case(chat: "User: I never was interested", phrase: "interested", expected: false),
        Case(chat: "User: never said I was interested", phrase: "interested", expected: true),
        Case(chat: "User: I'm hardly interested", phrase: "interested", expected: false),
        Case(chat: "User: nobody here is interested", phrase: "interested", expected: false),
        Case(chat: "User: I can't say I'm interested", phrase: "interested", expected: false),
    ])
    func clausesBoundTheNegationWindow(test: Case) {
        #expect(Self.matches(test) == test.expected)
    }

    @Test(arguments: [
        Case(chat: "User: Hmm, I'm not interested right now", phrase: "not interested", expected: true),
        Case(chat: "User: I'm not not interested", phrase: "not interested", expected: false),
        Case(chat: "User: no thanks", phrase: "no thanks", expected: true),
        Case(chat: "User: I said no, no thanks", phrase: "no thanks", expected: true),
        Case(chat: "User: I don't say no thanks", phrase: "no thanks", expected: false),
    ])
    func phrasesThatBeginWithANegatorLookBeforeThemselves(test: Case) {
        #expect(Self.matches(test) == test.expected)
    }

    @Test(arguments: [
        Case(chat: "User: I don’t think I’m interested", phrase: "interested", expected: false),
        Case(chat: "User: Dont call me", phrase: "don't call", expected: true),
        Case(chat: "User: don’t call me", phrase: "don't call", expected: true),
        Case(chat: "User: ne m’appelez plus, je suis intéressé", phrase: "interesse", expected: true),
        Case(chat: "User: Je suis INTÉRESSÉ", phrase: "intéressé", expected: true),
        Case(chat: "User: ¿Quién? Número equivocado", phrase: "numero equivocado", expected: true),
        Case(chat: "User: a follow-up call", phrase: "follow up", expected: true),
        Case(chat: "User: a follow up call", phrase: "follow-up", expected: true),
        Case(chat: "User: INTERESTED", phrase: "interested", expected: true),
    ])
    func apostrophesDiacriticsHyphensAndCase(test: Case) {
        #expect(Self.matches(test) == test.expected)
    }

    @Test(arguments: [
        Case(chat: "User: I'm uninterested", phrase: "interested", expected: false),
        Case(chat: "User: interestedly", phrase: "interested", expected: false),
        Case(chat: "User: call... back", phrase: "call back", expected: true),
        Case(chat: "User: call,\nback", phrase: "call back", expected: true),
        Case(chat: "User: call me then back", phrase: "call back", expected: false),
        Case(chat: "User: call me\nAI: sure\nUser: back", phrase: "call me back", expected: false),
        Case(chat: "User: call me\nUser: back later", phrase: "call me back", expected: false),
        Case(chat: "AI: stop calling\nUser: ok", phrase: "stop calling", expected: false),
        Case(chat: "AI: stop calling", phrase: "stop calling", expected: true, speaker: .agent),
        Case(chat: "AI: stop calling", phrase: "stop calling", expected: true, speaker: .any),
        Case(chat: "User: I'm not interested", phrase: "interested", expected: true, respectNegation: false),
    ])
    func wholeWordsWithinOneTurnBySpeaker(test: Case) {
        #expect(Self.matches(test) == test.expected)
    }

    @Test func systemTurnsNeverMatch() throws {
        let event = try Fixtures.event("vapi-end-of-call-report-callback.json")
        let condition = TranscriptCondition(speaker: .any, any: ["never say you are", "solar consultant"])
        let rules = RuleSet(outcomes: ["x"], rules: [Rule(name: "r", outcome: "x", when: .transcript(condition))])
        #expect(rules.decide(event).action == .noMatch)
    }

    @Test func allAndNoneAndMinTurns() {
        let event = Fixtures.chat("AI: hi\nUser: call me back\nAI: when?\nUser: tomorrow, I'm busy right now")
        func check(_ condition: TranscriptCondition) -> Bool {
            RuleSet(outcomes: ["x"], rules: [Rule(name: "r", outcome: "x", when: .transcript(condition))]).decide(event).action == .queued
        }
        #expect(check(TranscriptCondition(speaker: .customer, all: ["call me back", "busy right now"])))
        #expect(!check(TranscriptCondition(speaker: .customer, all: ["call me back", "not busy"])))
        #expect(check(TranscriptCondition(speaker: .customer, none: ["stop calling", "wrong number"])))
        #expect(!check(TranscriptCondition(speaker: .customer, none: ["tomorrow"])))
        #expect(check(TranscriptCondition(speaker: .customer, minTurns: 2)))
        #expect(!check(TranscriptCondition(speaker: .customer, minTurns: 3)))
        #expect(check(TranscriptCondition(minTurns: 4)))
        #expect(check(TranscriptCondition(speaker: .customer, matches: try? Pattern(#"(?i)BUSY\s+right"#))))
        #expect(!check(TranscriptCondition(speaker: .agent, matches: try? Pattern("busy"))))
        #expect(!check(TranscriptCondition(speaker: .customer, any: ["call me back"], minTurns: 5)))
    }

    @Test func negatedWordsStillCountForNone() {
        let event = Fixtures.chat("User: I'm not interested")
        let condition = TranscriptCondition(speaker: .customer, none: ["interested"])
        let rules = RuleSet(outcomes: ["x"], rules: [Rule(name: "r", outcome: "x", when: .transcript(condition))])
        #expect(rules.decide(event).action == .queued)
    }

    @Test func manyPhrasesShareOneIndex() {
        let phrases = (0..<300).map { Phrase("word\($0) next\($0)") }
        let rules = RuleSet(outcomes: ["x"], rules: [
            Rule(name: "a", outcome: "x", when: .transcript(TranscriptCondition(any: Array(phrases[..<150])))),
            Rule(name: "b", outcome: "x", when: .transcript(TranscriptCondition(any: Array(phrases[150...]) + [phrases[0]]))),
        ])
        #expect(rules.phrases.count == 300)
        #expect(rules.decide(Fixtures.chat("User: so word299 next299 then")).rule == "b")
        #expect(rules.decide(Fixtures.chat("User: so word299 next298 then")).action == .noMatch)
    }
}
