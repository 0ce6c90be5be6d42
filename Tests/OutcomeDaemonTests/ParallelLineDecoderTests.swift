import Foundation
import Testing
import TestSupport
@testable import OutcomeDaemon
@testable import OutcomeEngine

/// The two-core batch path must be indistinguishable from reading the file in order on one core.
struct ParallelLineDecoderTests {
    @Test(arguments: [1, 3, 7, 512])
    func resultsAndWarningsComeInFileOrderWhateverTheBatch(batchLines: Int) async throws {
        let directory = try TemporaryDirectory()
        let path = directory.path + "/events.jsonl"
        var lines: [String] = []
        for index in 0..<40 {
            switch index % 7 {
            case 3: lines.append("{not json \(index)")
            case 5: lines.append(#"{"message":{"type":"status-update","call":{"id":"v\#(index)"}}}"#)
            case 6: lines.append(#"{"id":"bad\u0000\#(index)"}"#)
            default:
                let said = index % 2 == 0 ? "User: please call me back" : "User: no thanks"
                lines.append(#"{"id":"c\#(index)","is_lead":\#(index % 3 == 0),"transcript":"\#(said)"}"#)
            }
        }
        try (lines.joined(separator: "\n") + "\n").write(toFile: path, atomically: true, encoding: .utf8)
        let rules = try BacktestTests.ruleSet(BacktestTests.rules)

        var sequential: [String] = []
        var sequentialWarnings: [String] = []
        let skipped = try BacktestSource.exported(path: path).forEach(warn: { sequentialWarnings.append($0) }) { item in
            let decision = rules.decide(item.event)
            sequential.append("\(item.event.callID) \(decision.outcome ?? "none") \(decision.ruleLabel)")
        }

        var parallel: [String] = []
        var parallelWarnings: [String] = []
        var ignored = 0
        try ParallelLineDecoder(path: path, rules: rules, batchLines: batchLines).forEach { item in
            switch item {
            case .event(let event, let decision): parallel.append("\(event.callID) \(decision.outcome ?? "none") \(decision.ruleLabel)")
            case .ignored: ignored += 1
            case .invalid(let line, let reason): parallelWarnings.append("\(path):\(line): skipped: \(reason)")
            }
        }
        #expect(parallel.count == 24)
        #expect(parallel == sequential)
        #expect(parallelWarnings == sequentialWarnings)
        #expect(ignored == skipped.ignored)
        #expect(parallelWarnings.count == skipped.invalid)
    }
}
