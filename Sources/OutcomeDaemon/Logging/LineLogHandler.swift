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
        if let extra = event.metadata {
            if fields.isEmpty { fields = extra } else { fields.merge(extra) { $1 } }
        }
        let message = event.message.description
        let name = fields.removeValue(forKey: "event").map { "\($0)" } ?? message
        var line = journal ? "<\(Self.priority(event.level))>" : ""
        line.reserveCapacity(256)
        var first = true
        func add(_ key: String, _ value: String) {
            switch format {
            case .logfmt:
                if !first { line += " " }
                line += key
                line += "="
                line += Self.logfmtValue(value)
            case .json:
                line += first ? "{" : ","
                line += Self.jsonString(key)
                line += ":"
                line += Self.jsonValue(key, value)
            }
            first = false
        }
        add("ts", Self.timestamp())
        add("level", event.level.rawValue)
        add("event", name)
        if message != name { add("msg", message) }
        for (key, value) in fields.sorted(by: { $0.key < $1.key }) { add(key, "\(value)") }
        if format == .json { line += "}" }
        line += "\n"
        writer.write(line)
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

    /// Keys whose values are numbers or booleans in JSON lines, so `jq 'select(.status >= 500)'`
    /// works; every other key, call ids above all, stays a string whatever it looks like.
    static let numericKeys: Set<String> = [
        "status", "job_id", "event_id", "attempt", "duration_ms", "retry_in_s", "pause_s", "stale_ms",
        "bytes", "rows", "results", "recovered", "rules", "configured", "effective",
    ]
    static let booleanKeys: Set<String> = ["duplicate", "reload", "dry_run"]

    static func jsonValue(_ key: String, _ value: String) -> String {
        if numericKeys.contains(key), isJSONNumber(value) { return value }
        if booleanKeys.contains(key), value == "true" || value == "false" { return value }
        return jsonString(value)
    }

    /// `-?(0|[1-9][0-9]*)(\.[0-9]+)?`: the numbers outcomed logs, in JSON's own grammar.
    static func isJSONNumber(_ value: String) -> Bool {
        var bytes = value.utf8[...]
        if bytes.first == UInt8(ascii: "-") { bytes = bytes.dropFirst() }
        let isDigit = { (byte: UInt8) in byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") }
        let integer = bytes.prefix(while: isDigit)
        guard !integer.isEmpty, integer.count == 1 || integer.first != UInt8(ascii: "0") else { return false }
        bytes = bytes.dropFirst(integer.count)
        guard let dot = bytes.first else { return true }
        guard dot == UInt8(ascii: "."), bytes.count > 1 else { return false }
        return bytes.dropFirst().allSatisfy(isDigit)
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
        var text = ""
        text.reserveCapacity(24)
        func append(_ value: Int, width: Int) {
            var digits = String(value)
            while digits.count < width { digits = "0" + digits }
            text += digits
        }
        append(Int(time.tm_year) + 1900, width: 4)
        text += "-"
        append(Int(time.tm_mon) + 1, width: 2)
        text += "-"
        append(Int(time.tm_mday), width: 2)
        text += "T"
        append(Int(time.tm_hour), width: 2)
        text += ":"
        append(Int(time.tm_min), width: 2)
        text += ":"
        append(Int(time.tm_sec), width: 2)
        text += "."
        append(Int(now.tv_nsec) / 1_000_000, width: 3)
        text += "Z"
        return text
    }
}
