import Foundation
import OutcomeEngine

/// A stored event as the back-test reads it: the body as received and the decision taken then.
public struct StoredEvent: Sendable {
    /// The event's id in the store.
    public var id: Int64
    /// The call id.
    public var callID: String
    /// When it was received, in Unix milliseconds.
    public var receivedAt: Int64
    /// The body as received. It may point into the store's row buffer: copy it to keep it
    /// beyond the call that hands it over.
    public var body: Data
    /// The 202 body sent at intake, which holds the decision.
    public var response: String

    /// Creates a stored event.
    public init(id: Int64, callID: String, receivedAt: Int64, body: Data, response: String) {
        self.id = id
        self.callID = callID
        self.receivedAt = receivedAt
        self.body = body
        self.response = response
    }

    /// The decision recorded at intake (`action`, `outcome`, `rule` of the 202 body); nil when
    /// the response cannot be read.
    public var recordedDecision: Decision? {
        guard let object = (try? JSONParser().parse(response))?.objectValue,
              let action = object["action"]?.stringValue.flatMap(Action.init(rawValue:))
        else { return nil }
        return Decision(action: action, outcome: object["outcome"]?.stringValue, rule: object["rule"]?.stringValue)
    }
}
