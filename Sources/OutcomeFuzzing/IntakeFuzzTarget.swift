import OutcomeDaemon
import OutcomeEngine

/// Intake's path for one request body, minus the I/O: JSON with the intake limits, then
/// normalisation, then the decision (what `IntakeController` does before it commits).
public struct IntakeFuzzTarget: Sendable {
    /// The rules events are decided against.
    public let rules: RuleSet

    /// Creates a target that decides against `rules`.
    public init(rules: RuleSet) {
        self.rules = rules
    }

    /// Creates a target that decides against the rules of the config file at `configPath`.
    public init(configPath: String) throws(ConfigError) {
        self.init(rules: try Config.load(path: configPath, mode: .rules).rules)
    }

    /// Runs `body` through the path.
    public func run(_ body: [UInt8]) -> FuzzVerdict {
        let normalization: Normalization
        do {
            normalization = try CallEvent.normalize(JSONParser().parse(body))
        } catch let error as JSONParseError {
            guard (0...body.count).contains(error.offset) else {
                return .inconsistent("\(error) names a byte outside the \(body.count)-byte body")
            }
            return .rejected(error.description)
        } catch {
            return .rejected("\(error)")
        }
        guard case .event(let event) = normalization else { return .accepted("ignored") }
        let decision: Decision
        switch DecisionCheck.decide(event, with: rules) {
        case .success(let value): decision = value
        case .failure(let broken): return .inconsistent(broken.message)
        }
        let record = IntakeRecord(idempotencyKey: IntakeRecord.contentKey(of: body), callID: event.callID, body: body, decision: decision)
        return .accepted("\(record.callID): \(decision.action.rawValue) \(decision.outcome ?? "none")")
    }
}
