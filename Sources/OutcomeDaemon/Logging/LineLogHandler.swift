import Foundation
import Logging
import OutcomeEngine

/// A swift-log handler that writes one line per event, in logfmt or JSON (SPEC §6):
/// `ts=… level=… event=… key=value …`. With `journal` set (stderr is the journal), each line
/// starts with the syslog priority, `<N>`, so `journalctl -p warning` works.
public struct LineLogHandler: LogHandler {
    public var logLevel: Logger.Level
    public var metadata: Logger.Metadata = [:]
    let format: LogFormat
    let journal: Bool
    let writer: LogWriter

    /// Creates a handler.
    public init(format: LogFormat, level: Logger.Level, journal: Bool, writer: LogWriter = .standardError) {
        self.format = format
        self.logLevel = level
        self.journal = journal
        self.writer = writer
    }

    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    public func log(event: LogEvent) {
        var fields = metadata
        if let extra = event.metadata { fields.merge(extra) { $1 } }
        let name = fields.removeValue(forKey: "event").map { "\($0)" } ?? event.message.description
        var pairs: [(String, String)] = [("ts", Self.timestamp()), ("level", event.level.rawValue), ("event", name)]
        if event.message.description != name { pairs.append(("msg", event.message.description)) }
        for key in fields.keys.sorted() { pairs.append((key, "\(fields[key]!)")) }
        var line = journal ? "<\(Self.priority(event.level))>" : ""
        switch format {
        case .logfmt: line += pairs.map { "\($0.0)=\(Self.logfmtValue($0.1))" }.joined(separator: " ")
        case .json: line += "{" + pairs.map { "\(Self.jsonString($0.0)):\(Self.jsonString($0.1))" }.joined(separator: ",") + "}"
        }
        writer.write(line + "\n")
    }

    /// The syslog priority of a level.
    public static func priority(_ level: Logger.Level) -> Int {
        switch level {
        case .trace, .debug: return 7
        case .info: return 6
        case .notice: return 5
        case .warning: return 4
        case .error: return 3
        case .critical: return 2
        }
    }

    /// A logfmt value, quoted and escaped when it needs to be.
    public static func logfmtValue(_ value: String) -> String {
        let needsQuotes = value.isEmpty || value.unicodeScalars.contains { $0 == " " || $0 == "=" || $0 == "\"" || $0 == "\\" || $0.value < 0x20 || $0.value == 0x7F }
        guard needsQuotes else { return value }
        return jsonString(value)
    }

    static func jsonString(_ value: String) -> String {
        JSONValue.string(value).serialized()
    }

    static func timestamp() -> String {
        var now = timespec()
        clock_gettime(CLOCK_REALTIME, &now)
        var time = tm()
        var seconds = now.tv_sec
        gmtime_r(&seconds, &time)
        return String(
            format: "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ",
            time.tm_year + 1900, time.tm_mon + 1, time.tm_mday, time.tm_hour, time.tm_min, time.tm_sec, now.tv_nsec / 1_000_000
        )
    }
}
