import Foundation
import OutcomeEngine

/// Where `replay` and `report` read calls from: the store (per call the latest event received
/// in the window) or exported events (`--events`: a file of JSON lines, or a folder of `.json`
/// files, one event each).
public enum BacktestSource: Sendable {
    /// The store, from `since` (Unix milliseconds) on.
    case store(any EventHistory, since: Int64)
    /// A JSON-lines file or a folder of `.json` files.
    case exported(path: String)

    /// What was read but not replayed.
    public struct Skipped: Sendable, Hashable {
        /// Messages that carry no outcome (a Vapi `status-update`, say).
        public var ignored = 0
        /// Lines or files that are not a call event; each is also reported to `warn`.
        public var invalid = 0
    }

    /// Calls `body` with each call event, one at a time; `warn` hears each entry that is skipped
    /// as invalid, as `FILE:LINE: reason`.
    public func forEach(warn: (String) -> Void, _ body: (BacktestEvent) throws -> Void) throws -> Skipped {
        var skipped = Skipped()
        let parser = JSONParser()
        func handle(_ normalization: () throws -> Normalization, source: () -> String, make: (CallEvent) -> BacktestEvent) throws {
            let normalized: Normalization
            do {
                normalized = try normalization()
            } catch {
                skipped.invalid += 1
                warn("\(source()): skipped: \(error)")
                return
            }
            switch normalized {
            case .ignored: skipped.ignored += 1
            case .event(let event): try body(make(event))
            }
        }
        switch self {
        case .store(let history, let since):
            try history.forEachLatestEvent(receivedSince: since) { stored in
                try handle({
                    try stored.body.withUnsafeBytes { raw in
                        try CallEvent.normalize(parser.parse(buffer: raw.bindMemory(to: UInt8.self)))
                    }
                }, source: { "event \(stored.id)" }) { event in
                    BacktestEvent(event: event, eventID: stored.id, time: stored.receivedAt, recorded: stored.recordedDecision)
                }
            }
        case .exported(let path):
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else { throw EventFileError.unreadable(path: path) }
            if isDirectory.boolValue {
                guard let names = try? FileManager.default.contentsOfDirectory(atPath: path) else { throw EventFileError.unreadable(path: path) }
                for name in names.sorted() where name.hasSuffix(".json") {
                    let file = path + "/" + name
                    guard let data = FileManager.default.contents(atPath: file) else { throw EventFileError.unreadable(path: file) }
                    try handle({
                        try data.withUnsafeBytes { raw in try CallEvent.normalize(parser.parse(buffer: raw.bindMemory(to: UInt8.self))) }
                    }, source: { file }) { event in
                        BacktestEvent(event: event, eventID: nil, time: nil, recorded: nil)
                    }
                }
            } else {
                try JSONLinesReader(path: path).forEachLine { line, number in
                    try handle({ try CallEvent.normalize(parser.parse(buffer: line)) }, source: { "\(path):\(number)" }) { event in
                        BacktestEvent(event: event, eventID: nil, time: nil, recorded: nil)
                    }
                }
            }
        }
        return skipped
    }

    /// Calls `body` with each call event and the decision `rules` give it, in input order. A
    /// JSON-lines file is decided on both cores (`ParallelLineDecoder`), and its events come
    /// without their transcripts; the store and a folder are read one event at a time.
    public func forEachDecided(rules: RuleSet, warn: (String) -> Void, _ body: (BacktestEvent, Decision) throws -> Void) throws -> Skipped {
        guard case .exported(let path) = self, Self.isRegularFile(path) else {
            return try forEach(warn: warn) { item in try body(item, rules.decide(item.event)) }
        }
        var skipped = Skipped()
        try ParallelLineDecoder(path: path, rules: rules).forEach { item in
            switch item {
            case .event(let event, let decision): try body(BacktestEvent(event: event, eventID: nil, time: nil, recorded: nil), decision)
            case .ignored: skipped.ignored += 1
            case .invalid(let line, let reason):
                skipped.invalid += 1
                warn("\(path):\(line): skipped: \(reason)")
            }
        }
        return skipped
    }

    static func isRegularFile(_ path: String) -> Bool {
        var isDirectory: ObjCBool = false
        return FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) && !isDirectory.boolValue
    }
}
