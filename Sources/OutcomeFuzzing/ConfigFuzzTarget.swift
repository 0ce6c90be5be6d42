import Foundation
import OutcomeDaemon
import OutcomeEngine

/// Config loading from bytes, as `outcomed check` does it (whole file, secrets checked), then
/// the loaded rules deciding some events.
public struct ConfigFuzzTarget: Sendable {
    /// The name the input is given in errors.
    public static let file = "fuzz.yaml"
    /// Events every loaded rule set decides.
    public let events: [CallEvent]

    /// Creates a target whose loaded rules decide `events`.
    public init(events: [CallEvent]) {
        self.events = events
    }

    /// Creates a target whose loaded rules decide the events in the `.json` files of `eventDirectory`.
    public init(eventDirectory: String) throws {
        let names = try FileManager.default.contentsOfDirectory(atPath: eventDirectory).filter { $0.hasSuffix(".json") }.sorted()
        var events: [CallEvent] = []
        for name in names {
            if case .event(let event) = try EventLoader.load(path: eventDirectory + "/" + name) { events.append(event) }
        }
        self.init(events: events)
    }

    /// Runs `bytes` through the loader.
    public func run(_ bytes: [UInt8]) -> FuzzVerdict {
        guard let text = String(data: Data(bytes), encoding: .utf8) else { return .rejected("not UTF-8") }
        let config: Config
        do {
            config = try Config.parse(yaml: text, file: Self.file, mode: .check, environment: [:])
        } catch {
            guard error.location.file == Self.file, error.location.line >= 1, error.location.column >= 1 else {
                return .inconsistent("a config error without FILE:LINE:COL: \(error)")
            }
            return .rejected(error.description)
        }
        _ = config.warnings.map(\.description)
        for event in events {
            if case .failure(let broken) = DecisionCheck.decide(event, with: config.rules) {
                return .inconsistent("\(event.callID): \(broken.message)")
            }
        }
        return .accepted(config.summary)
    }
}
