import OutcomeEngine

/// One call as the back-test and the report read it, from the store or from an export.
public struct BacktestEvent {
    /// The call.
    public var event: CallEvent
    /// Its stored event's id; nil for an exported event.
    public var eventID: Int64?
    /// When it was received, in Unix milliseconds; nil for an exported event.
    public var time: Int64?
    /// The decision recorded at intake; nil for an exported event.
    public var recorded: Decision?
}
