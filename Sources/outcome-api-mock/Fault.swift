/// One scripted answer for a call: a status (with optional `Retry-After` and body), a delay
/// before answering, or a connection reset.
struct Fault: Sendable {
    var status: Int?
    var retryAfter: String?
    var body: String?
    var delayMilliseconds: Int
    var reset: Bool

    init?(_ object: [String: Any]) {
        status = object["status"] as? Int
        retryAfter = (object["retry_after"] as? String) ?? (object["retry_after"] as? Int).map(String.init)
        body = object["body"] as? String
        delayMilliseconds = object["delay_ms"] as? Int ?? 0
        reset = object["reset"] as? Bool ?? false
        if status == nil && !reset && delayMilliseconds == 0 { return nil }
    }
}
