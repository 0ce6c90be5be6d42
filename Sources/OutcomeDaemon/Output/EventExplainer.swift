import OutcomeEngine

/// `outcomed explain`: an event file run through the rules, with every rule's verdict.
public enum EventExplainer {
    /// What explain prints.
    public struct Report: Sendable {
        /// The text report.
        public var text: String
        /// The `--json` report.
        public var json: String
    }

    /// Loads the event at `path` (`-` for stdin) and explains the rules' decision on it.
    public static func explain(path: String, rules: RuleSet) throws(EventFileError) -> Report {
        switch try EventLoader.load(path: path) {
        case .ignored(let reason):
            let json = JSONValue.object([
                "call_id": .null, "action": .string("ignored"), "outcome": .null, "rule": .null, "rules": .array([]),
            ])
            return Report(text: "ignored: \(reason); intake answers 200 {\"status\":\"ignored\"} and stores nothing", json: json.serialized())
        case .event(let event):
            let explanation = rules.explain(event)
            return Report(text: explanation.text, json: explanation.json.serialized())
        }
    }
}
