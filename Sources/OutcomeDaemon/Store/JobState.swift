/// Where a job is in its life: `pending → in_flight → done`, or `dead`.
public enum JobState: String, Sendable, Hashable, CaseIterable, Codable {
    case pending
    case inFlight = "in_flight"
    case done
    case dead
}
