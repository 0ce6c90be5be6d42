extension CallEvent {
    static func retell(event: JSONValue?, call: [String: JSONValue]) throws(EventError) -> Normalization {
        let name = event?.stringValue ?? event?.shortDescription ?? ""
        guard name == "call_ended" || name == "call_analyzed" else { return .ignored("retell event \(name)") }
        let id = try callID(call["call_id"], at: "call.call_id")
        let transcript = Self.transcript(from: call["transcript_object"]) ?? Self.transcript(from: call["transcript"]) ?? Transcript()
        return .event(CallEvent(callID: id, call: .object(call), transcript: transcript, shape: .retell))
    }
}
