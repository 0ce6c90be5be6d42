import Foundation
@testable import OutcomeEngine

enum Fixtures {
    static let eventsDirectory = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("config/examples/events")

    static func bytes(_ name: String) throws -> [UInt8] {
        Array(try Data(contentsOf: eventsDirectory.appendingPathComponent(name)))
    }

    static func event(_ name: String) throws -> CallEvent {
        guard case .event(let event) = try CallEvent.normalize(bytes: bytes(name)) else {
            throw FixtureError.ignored(name)
        }
        return event
    }

    enum FixtureError: Error { case ignored(String) }

    /// A CommVoice envelope with a plain-text chat and extra fields.
    static func chat(_ chat: String, _ fields: [String: JSONValue] = [:]) -> CallEvent {
        var data = fields
        data["id"] = .string("call-1")
        data["chat"] = .string(chat)
        let transcript = Transcript(plainText: chat)
        return CallEvent(callID: "call-1", call: .object(data), transcript: transcript, shape: .commVoiceEnvelope)
    }

    static func call(_ fields: [String: JSONValue]) -> CallEvent {
        var data = fields
        data["id"] = data["id"] ?? .string("call-1")
        return CallEvent(callID: "call-1", call: .object(data), transcript: Transcript(), shape: .commVoiceBare)
    }
}
