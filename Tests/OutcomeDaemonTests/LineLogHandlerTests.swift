import Foundation
import Logging
import Testing
import TestSupport
@testable import OutcomeDaemon

struct LineLogHandlerTests {
    @Test(arguments: [
        ("plain", "plain"), ("", #""""#), ("two words", #""two words""#), ("a=b", #""a=b""#),
        (#"say "hi""#, #""say \"hi\"""#), ("line\nbreak", #""line\nbreak""#), (#"back\slash"#, #""back\\slash""#),
        ("tab\there", #""tab\there""#),
    ])
    func logfmtValuesAreQuotedAndEscapedWhenNeeded(value: String, expected: String) {
        #expect(LineLogHandler.logfmtValue(value) == expected)
    }

    @Test(arguments: [
        (Logger.Level.trace, 7), (.debug, 7), (.info, 6), (.notice, 5), (.warning, 4), (.error, 3), (.critical, 2),
    ])
    func journalPriorities(level: Logger.Level, priority: Int) {
        #expect(LineLogHandler.priority(level) == priority)
    }

    @Test func journalIsDetectedOnlyWhenItNamesStderr() {
        #expect(!Daemon.isJournal(nil))
        #expect(!Daemon.isJournal("garbage"))
        #expect(!Daemon.isJournal("1:1"))
    }
}

struct LineLogHandlerOutputTests {
    static func capture(format: LogFormat, journal: Bool, _ body: (Logger) -> Void) throws -> [String] {
        let directory = try TemporaryDirectory()
        let path = directory.path + "/log"
        let descriptor = open(path, O_CREAT | O_WRONLY | O_TRUNC, 0o600)
        defer { close(descriptor) }
        let handler = LineLogHandler(format: format, level: .info, journal: journal, writer: LogWriter(descriptor: descriptor))
        body(Logger(label: "test", factory: { _ in handler }))
        return try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n").map(String.init)
    }

    @Test func logfmtLinesStartWithTsLevelAndEvent() async throws {
        let lines = try Self.capture(format: .logfmt, journal: true) { logger in
            logger.warning("retry_scheduled", metadata: ["event": "retry_scheduled", "call_id": "c 1", "status": "503"])
            logger.debug("hidden", metadata: ["event": "received"])
        }
        #expect(lines.count == 1)
        let line = try #require(lines.first)
        #expect(line.hasPrefix("<4>ts="))
        #expect(line.contains(#" level=warning event=retry_scheduled call_id="c 1" status=503"#))
        #expect(!line.contains("msg="))
    }

    @Test func jsonLinesCarryTheSameKeys() async throws {
        let lines = try Self.capture(format: .json, journal: false) { logger in
            logger.info("the token was refused", metadata: ["event": "circuit_open", "reason": "unauthorized"])
        }
        let object = try JSONSerialization.jsonObject(with: Data(try #require(lines.first).utf8)) as? [String: String]
        #expect(object?["level"] == "info")
        #expect(object?["event"] == "circuit_open")
        #expect(object?["msg"] == "the token was refused")
        #expect(object?["reason"] == "unauthorized")
        #expect(object?["ts"]?.hasSuffix("Z") == true)
    }

    @Test func jsonLinesKeepNumbersAndBooleansAndNeverRetypeACallID() async throws {
        let lines = try Self.capture(format: .json, journal: false) { logger in
            logger.info("delivered", metadata: [
                "event": "delivered", "call_id": "12345", "job_id": "42", "status": "200", "duration_ms": "6.9",
                "attempt": "1", "duplicate": "true", "outcome": "true", "retry_in_s": "0.5",
            ])
            logger.info("odd", metadata: ["event": "odd", "status": "none", "job_id": "007", "reload": "yes"])
        }
        #expect(lines.count == 2)
        let typed = try #require(lines.first)
        #expect(typed.contains(#""attempt":1,"call_id":"12345","duplicate":true,"duration_ms":6.9,"job_id":42,"outcome":"true","retry_in_s":0.5,"status":200"#), "\(typed)")
        let object = try JSONSerialization.jsonObject(with: Data(typed.utf8)) as? [String: Any]
        #expect(object?["status"] as? Int == 200)
        #expect(object?["call_id"] as? String == "12345")
        let odd = try #require(lines.last)
        #expect(odd.contains(#""job_id":"007","reload":"yes","status":"none""#), "\(odd)")
    }
}
