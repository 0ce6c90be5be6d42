import Foundation

/// Writes a report a command was asked for (`--junit`, `--html`) in one piece.
public enum ReportFile {
    /// Writes `text` to `path`, replacing the file atomically.
    public static func write(_ text: String, to path: String) throws(OutputFileError) {
        do {
            try Data(text.utf8).write(to: URL(fileURLWithPath: path), options: .atomic)
        } catch {
            throw OutputFileError(path: path, reason: (error as NSError).localizedDescription)
        }
    }
}
