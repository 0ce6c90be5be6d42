import ArgumentParser
import Foundation
import OutcomeEngine

/// SPEC §9 "rules": a realistic 100-rule set over generated 5 KB transcripts, on one core.
struct RulesBench: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "rules", abstract: "Rules evaluated per second on one core.")

    @Option(help: "How many rules.")
    var rules = 100

    @Option(help: "Bytes of transcript per event.")
    var transcriptBytes = 5000

    @Option(help: "Distinct events to cycle through.")
    var events = 200

    @Option(help: "Seconds to measure.")
    var seconds = 5.0

    static let vocabulary = """
        the a to and of you i it is that for on with this my we your have be are not can at me so just do about was what \
        they if there will all know get like one would how call back time right now today tomorrow week month solar panels \
        roof assessment savings bill energy company price quote install free home house address email number phone busy \
        later maybe sure yes no thanks thank interested really good great fine okay well think need want looking already \
        have contract provider electric utility month year cost payment finance loan credit score tax rebate incentive
        """.split(whereSeparator: { $0 == " " || $0 == "\n" }).map(String.init)

    static let phrases = [
        "stop calling", "remove me from your list", "do not call me", "wrong number", "not interested", "no thanks",
        "call me back", "call back later", "busy right now", "send me an email", "how much does it cost", "already have solar",
        "talk to my wife", "talk to my husband", "rent the house", "sounds good", "sign me up", "what is the price",
        "lawyer", "attorney", "complaint", "scam", "never call again", "dont have time", "on the do not call registry",
    ]

    func run() throws {
        var random = SplitMix64(seed: 42)
        let outcomes = ["interested", "not_interested", "callback", "voicemail", "do_not_call", "wrong_number", "other"]
        let set = RuleSet(outcomes: outcomes, rules: Self.makeRules(rules, random: &random))
        let corpus = (0..<events).map { Self.makeEvent(index: $0, bytes: transcriptBytes, random: &random) }
        let matched = corpus.filter { set.decide($0).action != .noMatch }.count
        let clock = ContinuousClock()
        var evaluated = 0
        var sink = 0
        let start = clock.now
        let deadline = start + .milliseconds(Int64(seconds * 1000))
        repeat {
            for event in corpus { sink &+= set.decide(event).outcome?.utf8.count ?? 1 }
            evaluated += corpus.count
        } while clock.now < deadline
        let elapsed = clock.now - start
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        print(#"{"rules_events_per_s": \#(Int(Double(evaluated) / seconds)), "rules": \#(rules), "phrases": \#(set.phrases.count), "transcript_bytes": \#(transcriptBytes), "events_matching_a_rule": \#(matched), "of_events": \#(corpus.count), "checksum": \#(sink % 1000)}"#)
    }

    static func makeRules(_ count: Int, random: inout SplitMix64) -> [Rule] {
        var rules: [Rule] = []
        for index in 0..<count {
            let name = "rule-\(index)"
            let outcome = ["interested", "not_interested", "callback", "voicemail", "do_not_call", "wrong_number", "other"][index % 7]
            let condition: Condition
            switch index % 10 {
            case 0, 1, 2, 3, 4:
                var list: [Phrase] = []
                for _ in 0..<6 { list.append(Phrase(phrases.randomElement(using: &random) ?? "x") ) }
                list.append(Phrase("\(vocabulary.randomElement(using: &random) ?? "x") zq\(index) \(vocabulary.randomElement(using: &random) ?? "y")"))
                condition = .transcript(TranscriptCondition(speaker: index % 2 == 0 ? .customer : .any, any: list))
            case 5:
                condition = .all([
                    .transcript(TranscriptCondition(speaker: .customer, any: [Phrase("zq\(index) interested"), Phrase(phrases[index % phrases.count])])),
                    .transcript(TranscriptCondition(minTurns: 3)),
                ])
            case 6:
                condition = .any([
                    .field(FieldPath("is_answer_machine")!, .equals(.bool(true))),
                    .field(FieldPath("vapi_ended_reason")!, .isIn([.string("voicemail-\(index)"), .string("customer-did-not-answer-\(index)")])),
                ])
            case 7:
                condition = .all([
                    .field(FieldPath("events_count")!, .greaterThan(Double(100 + index))),
                    .field(FieldPath("call_outcome_logs.*.new_call_outcome")!, .equals(.string("voicemail"))),
                ])
            case 8:
                let pattern = (try? Pattern("^vc_20[0-9]{2}_q\(index % 4 + 1)x$")).map(FieldOperator.matches) ?? .exists(false)
                condition = .field(FieldPath("voice_campaign_id")!, pattern)
            default:
                condition = .not(.any([
                    .field(FieldPath("status")!, .equals(.string("completed"))),
                    .field(FieldPath("timezone")!, .contains(.string("America"))),
                ]))
            }
            rules.append(Rule(name: name, outcome: outcome, when: condition))
        }
        return rules
    }

    static func makeEvent(index: Int, bytes: Int, random: inout SplitMix64) -> CallEvent {
        var lines: [String] = []
        var size = 0
        var turn = 0
        while size < bytes {
            var words: [String] = []
            for _ in 0..<Int.random(in: 8...24, using: &random) { words.append(vocabulary.randomElement(using: &random) ?? "x") }
            var text = words.joined(separator: " ")
            text = text.prefix(1).uppercased() + text.dropFirst() + [".", "?", "!", ", right."][turn % 4]
            let line = (turn % 2 == 0 ? "AI: " : "User: ") + text
            lines.append(line)
            size += line.utf8.count + 1
            turn += 1
        }
        let chat = lines.joined(separator: "\n")
        let call: [String: JSONValue] = [
            "id": .string("bench-\(index)"), "chat": .string(chat), "is_answer_machine": .bool(false),
            "vapi_ended_reason": .string("customer-ended-call"), "events_count": .string("14"), "status": .string("completed"),
            "timezone": .string("America/New_York"), "voice_campaign_id": .string("vc_2026_q4"), "call_outcome": .string(""),
            "call_outcome_logs": .array([.object(["new_call_outcome": .string("not_interested")])]),
        ]
        return CallEvent(callID: "bench-\(index)", call: .object(call), transcript: Transcript(plainText: chat), shape: .commVoiceEnvelope)
    }
}
