/// Something the delivery worker did, for metrics and tests.
public enum DeliveryEvent: Sendable {
    /// Results of attempts were committed.
    case committed([JobResult])
}
