import Testing
@testable import OutcomeEngine

struct ReplayTallyTests {
    static func decided(_ outcome: String?, _ rule: String?, _ action: Action = .queued) -> Decision {
        Decision(action: outcome == nil ? .noMatch : action, outcome: outcome, rule: rule)
    }

    @Test func transitionsAddUpToTheCallsWithThreeExamplesAndRulesBeforeAndAfter() {
        var tally = ReplayTally(rules: ["lead", "callback"], beforeKnown: true)
        let changes = ["a", "b", "c"].map { call in
            tally.add(callID: call, from: "interested", ruleBefore: "lead", decision: call == "c" ? Self.decided("interested", "lead") : Self.decided("callback", "callback"))
        }
        #expect(changes == [true, true, false])
        for call in ["d", "e", "f", "g"] {
            tally.add(callID: call, from: nil, ruleBefore: nil, decision: Self.decided("callback", "callback"))
        }
        tally.add(callID: "h", from: "voicemail", ruleBefore: "old-voicemail", decision: Self.decided(nil, nil))
        #expect(tally.calls == 8)
        #expect(tally.changed == 7)
        #expect(tally.transitions == [
            .init(from: nil, to: "callback", count: 4, examples: ["d", "e", "f"]),
            .init(from: "interested", to: "callback", count: 2, examples: ["a", "b"]),
            .init(from: "voicemail", to: nil, count: 1, examples: ["h"]),
            .init(from: "interested", to: "interested", count: 1, examples: ["c"]),
        ])
        #expect(tally.rules == [
            .init(name: "lead", before: 3, after: 1),
            .init(name: "callback", before: 0, after: 6),
            .init(name: "old-voicemail", before: 1, after: 0),
        ])
        #expect(tally.json.serialized() == #"{"calls":8,"changed":7,"rules":[{"after":1,"before":3,"name":"lead"},{"after":6,"before":0,"name":"callback"},{"after":0,"before":1,"name":"old-voicemail"}],"transitions":[{"count":4,"examples":["d","e","f"],"from":null,"to":"callback"},{"count":2,"examples":["a","b"],"from":"interested","to":"callback"},{"count":1,"examples":["h"],"from":"voicemail","to":null},{"count":1,"examples":["c"],"from":"interested","to":"interested"}]}"#)
        #expect(tally.text == """
            calls: 8, would change: 7 (87.5%)

              OLD        -> NEW         count  examples
              none       -> callback        4  d, e, f
              interested -> callback        2  a, b
              voicemail  -> none            1  h
              interested -> interested      1  c  (same)

              rule           before   after
              lead                3       1
              callback            0       6
              old-voicemail       1       0
            """)
    }

    @Test func anUnknownBeforeIsNullAndAnEmptyRunPrintsZeroes() {
        var tally = ReplayTally(rules: ["lead"], beforeKnown: false)
        #expect(tally.text.hasPrefix("calls: 0, would change: 0 (0%)"))
        tally.add(callID: "a", from: "interested", ruleBefore: nil, decision: Self.decided("interested", "lead", .unchanged))
        #expect(tally.rules == [.init(name: "lead", before: nil, after: 1)])
        #expect(tally.changed == 0)
        #expect(tally.json["rules"]?.arrayValue?.first?["before"] == .null)
    }
}
