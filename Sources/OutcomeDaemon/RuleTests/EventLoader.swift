import Foundation
import OutcomeEngine

/// Reads call events from files or standard input, with the same parsing and limits as intake.
public enum EventLoader {
    /// Reads `path` (`-` is standard input) and normalises it.
    public static func load(path: String) throws(EventFileError) -> Normalization {
        let data: Data?
        if path == "-" {
            data = FileHandle.standardInput.readDataToEndOfFile()
        } else {
            data = FileManager.default.contents(atPath: path)
        }
        guard let data else { throw .unreadable(path: path) }
        return try normalize(bytes: Array(data), source: path == "-" ? "stdin" : path)
    }

    /// Parses and normalises a body.
    public static func normalize(bytes: [UInt8], source: String) throws(EventFileError) -> Normalization {
        do {
            return try CallEvent.normalize(JSONParser().parse(bytes))
        } catch let error as JSONParseError {
            throw .invalid(source: source, reason: error.description)
        } catch {
            throw .invalid(source: source, reason: "\(error)")
        }
    }
}
