import Foundation
import Testing
import TestSupport

/// `outcomed report` over exported events whose matrix and kappa are worked out by hand.
struct ReportEndToEndTests {
    static let rules = """
        outcomes: [interested, callback]
        rules:
          - {name: lead, outcome: interested, when: {is_lead: true}}
          - {name: callback, outcome: callback, when: {transcript: {speaker: customer, any: [call me back]}}}
        """

    static func event(_ id: Int, label: String?, lead: Bool = false, chat: String = "AI: hello", at: String = "2026-11-20T10:00:00Z") -> String {
        var object: [String: Any] = ["id": "c\(id)", "is_lead": lead, "chat": chat, "created_at": at]
        if let label { object["call_outcome"] = label }
        let data = (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])) ?? Data()
        return String(decoding: data, as: UTF8.self)
    }

    @Test func reportJSONGivesTheMatrixAndKappaWorkedOutByHand() async throws {
        let directory = try TemporaryDirectory()
        try Self.rules.write(toFile: directory.path + "/rules.yaml", atomically: true, encoding: .utf8)
        let callBack = "AI: hello\nUser: call me back"
        let lines = (0..<4).map { Self.event($0, label: "interested", lead: true) }
            + [Self.event(4, label: "interested", chat: callBack, at: "2026-11-22T08:30:00.250Z")]
            + (5..<7).map { Self.event($0, label: "callback", chat: callBack) }
            + [Self.event(7, label: "callback")]
            + (8..<10).map { Self.event($0, label: nil, lead: true, at: "2026-11-21T00:00:00Z") }
        try (lines.joined(separator: "\n") + "\n").write(toFile: directory.path + "/events.jsonl", atomically: true, encoding: .utf8)
        let arguments = ["report", "--events", directory.path + "/events.jsonl", "--config", directory.path + "/rules.yaml"]
        let result = try await Command.run("outcomed", arguments + ["--json"])
        #expect(result.status == 0, "\(result.stderr)")
        let report = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
        #expect(report["calls"] as? Int == 10)
        #expect(report["matrix"] as? [String: [String: Int]] == [
            "interested": ["interested": 4, "callback": 1],
            "callback": ["callback": 2, "none": 1],
            "none": ["interested": 2],
        ])
        // Agreement 6 of 10; chance (5·6 + 3·3 + 2·1) / 100 = 0.41; kappa 0.19 / 0.59 = 0.3220.
        #expect(report["agreement"] as? Double == 0.6)
        #expect(report["kappa"] as? Double == 0.322)
        let rules = try #require(report["rules"] as? [[String: Any]])
        #expect(rules.map { $0["matches"] as? Int } == [6, 3])
        #expect(rules.map { $0["share"] as? Double } == [0.6, 0.3])
        #expect(rules.map { $0["last_match_at"] as? String } == ["2026-11-21T00:00:00.000Z", "2026-11-22T08:30:00.250Z"])

        let page = directory.path + "/report.html"
        let html = try await Command.run("outcomed", arguments + ["--html", page])
        #expect(html.status == 0, "\(html.stderr)")
        #expect(html.stdout.hasPrefix("calls: 10, agreement: 60%, kappa: 0.322"))
        #expect(try String(contentsOfFile: page, encoding: .utf8).contains("<table class=\"matrix\">"))
        #expect(try await Command.run("outcomed", arguments + ["--html", page, "--json"]).status == 2)
        #expect(try await Command.run("outcomed", arguments + ["--html", directory.path + "/no/such/dir/r.html"]).status == 3)
    }
}
