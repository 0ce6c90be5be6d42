import Testing
@testable import OutcomeEngine

struct AgreementTallyTests {
    /// Ten calls whose matrix and kappa are worked out by hand below.
    static func known() -> AgreementTally {
        var tally = AgreementTally(outcomes: ["interested", "callback", "voicemail"], rules: ["lead", "callback", "voicemail"])
        for time in [1, 2, 3, 4] as [Int64] { tally.add(label: "interested", outcome: "interested", rule: "lead", time: time * 1000) }
        tally.add(label: "interested", outcome: "callback", rule: "callback", time: 9000)
        tally.add(label: "callback", outcome: "callback", rule: "callback", time: 5000)
        tally.add(label: "callback", outcome: "callback", rule: "callback", time: nil)
        tally.add(label: "callback", outcome: nil, rule: nil, time: 6000)
        tally.add(label: nil, outcome: "interested", rule: "lead", time: 1_795_533_166_358)
        tally.add(label: "", outcome: "interested", rule: nil, time: 7000)
        return tally
    }

    @Test func matrixAgreementAndKappaAreTheOnesWorkedOutByHand() {
        let tally = Self.known()
        #expect(tally.calls == 10)
        #expect(tally.categories == ["interested", "callback", "none"])
        #expect(tally.matrix == [
            "interested": ["interested": 4, "callback": 1],
            "callback": ["callback": 2, "none": 1],
            "none": ["interested": 2],
        ])
        // Diagonal 4 + 2 + 0 of 10. Rows 5, 3, 2 and columns 6, 3, 1 give chance agreement
        // (5·6 + 3·3 + 2·1) / 100 = 0.41, so kappa = (0.6 − 0.41) / (1 − 0.41) = 0.19 / 0.59.
        #expect(tally.agreement == 0.6)
        #expect(abs((tally.kappa ?? 0) - 0.19 / 0.59) < 1e-12)
        #expect(tally.rules == [
            .init(name: "lead", matches: 5, share: 0.5, lastMatchAt: 1_795_533_166_358),
            .init(name: "callback", matches: 3, share: 0.3, lastMatchAt: 9000),
            .init(name: "voicemail", matches: 0, share: 0, lastMatchAt: nil),
        ])
        #expect(tally.json.serialized() == #"{"agreement":0.6,"calls":10,"kappa":0.322,"matrix":{"callback":{"callback":2,"none":1},"interested":{"callback":1,"interested":4},"none":{"interested":2}},"rules":[{"last_match_at":"2026-11-24T15:12:46.358Z","matches":5,"name":"lead","share":0.5},{"last_match_at":"1970-01-01T00:00:09.000Z","matches":3,"name":"callback","share":0.3},{"last_match_at":null,"matches":0,"name":"voicemail","share":0}]}"#)
        #expect(tally.text.hasPrefix("""
            calls: 10, agreement: 60%, kappa: 0.322

              platform \\ outcomed  interested  callback  none
              interested                    4         1     0
              callback                      0         2     1
              none                          2         0     0
            """))
    }

    @Test func kappaIsUndefinedWhenBothSidesUseOneCategoryAndEmptyIsZeroes() {
        var same = AgreementTally(outcomes: ["interested"], rules: [])
        same.add(label: "interested", outcome: "interested", rule: nil, time: nil)
        #expect(same.agreement == 1)
        #expect(same.kappa == nil)
        let empty = AgreementTally(outcomes: ["interested"], rules: ["lead"])
        #expect(empty.json.serialized() == #"{"agreement":null,"calls":0,"kappa":null,"matrix":{},"rules":[{"last_match_at":null,"matches":0,"name":"lead","share":0}]}"#)
        #expect(empty.text.hasPrefix("calls: 0, agreement: -, kappa: -"))
    }

    @Test(arguments: [
        (Int64(0), "1970-01-01T00:00:00.000Z"),
        (951_782_400_007, "2000-02-29T00:00:00.007Z"),
        (4_102_444_799_999, "2099-12-31T23:59:59.999Z"),
        (-1, "1969-12-31T23:59:59.999Z"),
    ])
    func timestampsAreRFC3339InUTC(milliseconds: Int64, text: String) {
        #expect(Timestamp.format(milliseconds: milliseconds) == text)
    }
}
