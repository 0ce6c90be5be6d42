/// A call event in the one form the rules read, whatever platform sent it.
public struct CallEvent: Sendable, Equatable {
    /// The call id, as used in the upstream URL; a numeric id is its decimal string.
    public var callID: String
    /// The object that `field:` paths are read from.
    public var call: JSONValue
    /// The conversation.
    public var transcript: Transcript
    /// The platform format the event came in.
    public var shape: EventShape

    /// Creates an event directly.
    public init(callID: String, call: JSONValue, transcript: Transcript, shape: EventShape) {
        self.callID = callID
        self.call = call
        self.transcript = transcript
        self.shape = shape
    }

    /// The call's outcome as the platform knows it now (`call_outcome`), if set.
    public var currentOutcome: String? {
        guard let value = call["call_outcome"]?.stringValue, !value.isEmpty else { return nil }
        return value
    }

    /// Recognises the shape of `body` (SPEC §2) and normalises it.
    public static func normalize(_ body: JSONValue) throws(EventError) -> Normalization {
        guard case .object(let top) = body else { throw .notAnObject }
        if case .object(let data)? = top["data"], data["id"] != nil {
            return .event(try commVoice(data, shape: .commVoiceEnvelope))
        }
        if top["id"] != nil {
            return .event(try commVoice(top, shape: .commVoiceBare))
        }
        if case .object(let message)? = top["message"], message["type"] != nil {
            return try vapi(message)
        }
        if top["event"] != nil, case .object(let call)? = top["call"] {
            return try retell(event: top["event"], call: call)
        }
        throw .missingCallID("expected data.id, id, message.call.id or call.call_id")
    }

    /// Parses `bytes` as JSON with the intake limits, then normalises it.
    public static func normalize(bytes: some Collection<UInt8>, parser: JSONParser = JSONParser()) throws -> Normalization {
        try normalize(parser.parse(bytes))
    }

    static func transcript(from value: JSONValue?) -> Transcript? {
        guard let value, value.isPresent else { return nil }
        switch value {
        case .array(let messages):
            return Transcript(messages: messages)
        case .string(let text):
            if text.utf8.first(where: { $0 != 0x20 && $0 != 0x0A && $0 != 0x09 && $0 != 0x0D }) == UInt8(ascii: "["),
               case .array(let messages)? = try? JSONParser().parse(text)
            {
                return Transcript(messages: messages)
            }
            return Transcript(plainText: text)
        default:
            return nil
        }
    }
}
