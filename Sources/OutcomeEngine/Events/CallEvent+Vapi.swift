extension CallEvent {
    static func vapi(_ message: [String: JSONValue]) throws(EventError) -> Normalization {
        let type = message["type"]?.stringValue ?? message["type"]?.shortDescription ?? ""
        guard type == "end-of-call-report" else { return .ignored("vapi message type \(type)") }
        guard let id = message["call"]?["id"]?.identifierValue else {
            throw .missingCallID("message.call.id is missing")
        }
        let artifact = message["artifact"]
        let transcript = Self.transcript(from: artifact?["messages"]) ?? Self.transcript(from: artifact?["transcript"]) ?? Transcript()
        return .event(CallEvent(callID: id, call: .object(message), transcript: transcript, shape: .vapi))
    }
}
