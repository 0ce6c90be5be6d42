/// One scripted answer for a call: a status (with optional `Retry-After`, and `body`, sent
/// as given: `{"message":"scripted N"}` without one), a delay
/// before answering, or a connection reset. `echo_headers` puts the request's headers into an
/// error body, as some upstreams and proxies do.
struct Fault: Sendable {
    var status: Int?
    var retryAfter: String?
    var body: String?
    var delayMilliseconds: Int
    var reset: Bool
    var echoHeaders: Bool

    init?(_ object: [String: Any]) {
        status = object["status"] as? Int
        retryAfter = (object["retry_after"] as? String) ?? (object["retry_after"] as? Int).map(String.init)
        body = object["body"] as? String
        delayMilliseconds = object["delay_ms"] as? Int ?? 0
        reset = object["reset"] as? Bool ?? false
        echoHeaders = object["echo_headers"] as? Bool ?? false
        if status == nil && !reset && delayMilliseconds == 0 { return nil }
    }
}
