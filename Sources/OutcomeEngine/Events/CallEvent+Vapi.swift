extension CallEvent {
    static func vapi(_ message: [String: JSONValue]) throws(EventError) -> Normalization {
        let type = message["type"]?.stringValue ?? message["type"]?.shortDescription ?? ""
        guard type == "end-of-call-report" else { return .ignored("vapi message type \(type)") }
        let id = try callID(message["call"]?["id"], at: "message.call.id")
        let artifact = message["artifact"]
        let transcript = Self.transcript(from: artifact?["messages"]) ?? Self.transcript(from: artifact?["transcript"]) ?? Transcript()
        return .event(CallEvent(callID: id, call: .object(message), transcript: transcript, shape: .vapi))
    }
}
