extension Explanation {
    /// `{"call_id","action","outcome","rule","rules":[{"name","matched","reason"}]}`, as `explain --json` prints it.
    public var json: JSONValue {
        .object([
            "call_id": .string(event.callID),
            "action": .string(decision.action.rawValue),
            "outcome": decision.outcome.map(JSONValue.string) ?? .null,
            "rule": decision.rule.map(JSONValue.string) ?? .null,
            "rules": .array(rules.map { verdict in
                .object([
                    "name": .string(verdict.name),
                    "matched": .bool(verdict.matched),
                    "reason": .string(verdict.reason),
                ])
            }),
        ])
    }
}
