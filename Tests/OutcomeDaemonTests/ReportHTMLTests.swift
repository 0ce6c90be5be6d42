import Foundation
import FoundationXML
import Testing
@testable import OutcomeEngine

/// The HTML report's structure: read as XML, since the page is written to be well-formed.
struct ReportHTMLTests {
    static func page() throws -> (String, XMLDocument) {
        var tally = AgreementTally(outcomes: ["interested", "callback"], rules: ["lead <hot>", "callback"])
        for _ in 0..<6 { tally.add(label: "interested", outcome: "interested", rule: "lead <hot>", time: 1000) }
        tally.add(label: "interested", outcome: "callback", rule: "callback", time: 2000)
        tally.add(label: "callback", outcome: "callback", rule: "callback", time: 3000)
        tally.add(label: nil, outcome: nil, rule: nil, time: nil)
        let html = tally.html(subtitle: "events.jsonl & more")
        return (html, try XMLDocument(xmlString: html))
    }

    func strings(_ document: XMLDocument, _ path: String) throws -> [String] {
        try document.nodes(forXPath: path).map { $0.stringValue ?? "" }
    }

    @Test func thePageHasTheTotalsASquareShadedMatrixAndTheRuleTable() async throws {
        let (_, document) = try Self.page()
        #expect(try strings(document, "//div[@id='calls']/b") == ["9"])
        #expect(try strings(document, "//div[@id='agreement']/b") == ["88.9%"])
        #expect(try strings(document, "//p[@class='subtitle']") == ["events.jsonl & more"])
        let categories = ["interested", "callback", "none"]
        #expect(try strings(document, "//table[@class='matrix']/thead/tr/th[@scope='col']") == categories)
        #expect(try strings(document, "//table[@class='matrix']/tbody/tr/th[@scope='row']") == categories)
        let rows = try document.nodes(forXPath: "//table[@class='matrix']/tbody/tr")
        #expect(rows.count == 3)
        let cells = try rows.map { try $0.nodes(forXPath: "td").compactMap { $0 as? XMLElement } }
        #expect(cells.map { $0.map { $0.stringValue ?? "" } } == [["6", "1", "0"], ["0", "1", "0"], ["0", "0", "1"]])
        for (index, row) in cells.enumerated() {
            #expect(row[index].attribute(forName: "class")?.stringValue?.contains("diagonal") == true)
        }
        func alpha(_ cell: XMLElement) -> Double {
            let style = cell.attribute(forName: "style")?.stringValue ?? ""
            let inside = style.split(separator: "(").last?.split(separator: ")").first ?? ""
            return Double(inside.split(separator: ",").last?.trimmingCharacters(in: .whitespaces) ?? "") ?? -1
        }
        #expect(alpha(cells[0][0]) > alpha(cells[0][1]))
        #expect(alpha(cells[0][1]) > alpha(cells[0][2]))
        #expect(alpha(cells[0][2]) == 0)
        #expect(try strings(document, "//table[@class='rules']/tbody/tr/td[1]") == ["lead <hot>", "callback"])
        #expect(try strings(document, "//table[@class='rules']/tbody/tr/td[2]") == ["6", "2"])
    }

    @Test func thePageIsSelfContained() async throws {
        let (html, document) = try Self.page()
        #expect(try document.nodes(forXPath: "//script | //link | //img | //iframe | //object").isEmpty)
        #expect(try document.nodes(forXPath: "//@src | //@href | //@*[starts-with(name(), 'on')]").isEmpty)
        #expect(!html.contains("url("))
        #expect(!html.contains("@import"))
        #expect(try document.nodes(forXPath: "/html/head/style").count == 1)
    }
}
