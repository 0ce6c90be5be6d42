import Foundation
import Testing
import TestSupport

/// `server.listen: unix:/path`: the same API over a unix socket.
@Suite(.serialized, .timeLimit(.minutes(2)))
struct UnixSocketTests {
    /// POSTs with Python's http.client over the socket and returns "STATUS BODY".
    static func post(socket: String, path: String, body: String) async throws -> String {
        let script = """
            import http.client, socket, sys
            class UnixConnection(http.client.HTTPConnection):
                def connect(self):
                    self.sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
                    self.sock.connect(sys.argv[1])
            c = UnixConnection("localhost")
            c.request("POST", sys.argv[2], body=sys.argv[3].encode(), headers={"Content-Type": "application/json"})
            r = c.getresponse()
            print(r.status, r.read().decode())
            """
        let result = try await Command.run("/usr/bin/env", ["python3", "-c", script, socket, path, body])
        return result.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// Whether something accepts connections on the socket at `socket`.
    static func answers(socket path: String) -> Bool {
        let descriptor = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0)
        guard descriptor >= 0 else { return false }
        defer { close(descriptor) }
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        withUnsafeMutableBytes(of: &address.sun_path) { $0.copyBytes(from: Array(path.utf8)) }
        return withUnsafePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(descriptor, $0, socklen_t(MemoryLayout<sockaddr_un>.size)) == 0 }
        }
    }

    @Test func eventsAndReloadOverAUnixSocket() async throws {
        let daemon = try await Daemon()
        let socket = daemon.directory + "/outcomed.sock"
        let text = try String(contentsOfFile: daemon.configPath, encoding: .utf8)
            .replacingOccurrences(of: "listen: 127.0.0.1:\(daemon.port)", with: "listen: unix:\(socket)")
        try text.write(toFile: daemon.configPath, atomically: true, encoding: .utf8)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: Command.path(of: "outcomed"))
        process.arguments = ["serve", "--config", daemon.configPath]
        process.environment = ProcessInfo.processInfo.environment.merging(daemon.environment) { $1 }
        process.standardError = FileHandle.nullDevice
        try process.run()
        defer {
            process.terminate()
            process.waitUntilExit()
        }
        let deadline = ContinuousClock.now + .seconds(20)
        while !FileManager.default.fileExists(atPath: socket) {
            guard ContinuousClock.now < deadline, process.isRunning else { Issue.record("no socket at \(socket)"); return }
            try await Task.sleep(for: .milliseconds(25))
        }
        let accepted = try await Self.post(socket: socket, path: "/v1/events", body: Daemon.event("c-unix"))
        #expect(accepted.hasPrefix("202 "), "\(accepted)")
        #expect(accepted.contains(#""call_id":"c-unix""#))
        let reload = try await Self.post(socket: socket, path: "/-/reload", body: "")
        #expect(reload.hasPrefix("200 "), "a unix-socket caller is local: \(reload)")
    }
}
