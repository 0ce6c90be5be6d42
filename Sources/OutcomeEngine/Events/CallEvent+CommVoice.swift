extension CallEvent {
    static func commVoice(_ call: [String: JSONValue], shape: EventShape) throws(EventError) -> CallEvent {
        let idPath = shape == .commVoiceEnvelope ? "data.id" : "id"
        let id = try callID(call["id"], at: idPath)
        let transcript = Self.transcript(from: call["transcript"]) ?? Self.transcript(from: call["chat"]) ?? Transcript()
        return CallEvent(callID: id, call: .object(call), transcript: transcript, shape: shape)
    }
}
