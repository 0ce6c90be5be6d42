import Foundation
import Testing
import TestSupport

/// The intake server against idle, slow and stalled peers, a small open-file limit, and
/// listen addresses or stores that another process already uses.
@Suite(.serialized, .timeLimit(.minutes(3)))
struct ServerHardeningTests {
    @Test func anIdleConnectionIsClosed() async throws {
        let daemon = try await Daemon(server: "  idle_timeout: 1s")
        try await daemon.start()
        let connection = try RawConnection(port: daemon.port)
        let started = ContinuousClock.now
        let result = await connection.readUntilClosed(timeout: .seconds(6))
        #expect(result.closed, "an idle connection was held open")
        #expect(ContinuousClock.now - started >= .milliseconds(900))
    }

    @Test func aBodyTrickledSlowerThanTheReadTimeoutIsCutOff() async throws {
        let daemon = try await Daemon(server: "  idle_timeout: 30s\n  read_timeout: 1s")
        try await daemon.start()
        let connection = try RawConnection(port: daemon.port)
        let started = ContinuousClock.now
        connection.send("POST /v1/events HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n{")
        var open = true
        for _ in 0..<60 where open {
            try await Task.sleep(for: .milliseconds(100))
            guard connection.send(" ") else { open = false; break }
            open = await !connection.readUntilClosed(timeout: .milliseconds(1)).closed
        }
        #expect(!open, "one byte every 100 ms kept the request open for 6 s")
        #expect(ContinuousClock.now - started < .seconds(4))
        #expect(try await daemon.post(Daemon.event("c-after-slow")).status == 202)
    }

    @Test func aSenderStalledMidBodyDoesNotDelayShutdown() async throws {
        let daemon = try await Daemon(server: "  idle_timeout: 60s\n  read_timeout: 60s")
        try await daemon.start()
        let connection = try RawConnection(port: daemon.port)
        connection.send("POST /v1/events HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n{\"data\":")
        try await Task.sleep(for: .milliseconds(300))
        daemon.signal(SIGTERM)
        let status = try await daemon.waitForExit(timeout: .seconds(8))
        #expect(status == 0, "serve was still waiting for the stalled body")
        #expect(await connection.readUntilClosed(timeout: .seconds(2)).closed)
    }

    /// 300 idle connections against a 256-descriptor limit: the limit lowers the connection
    /// cap, idle ones are closed, and a real sender still gets through without a busy loop.
    @Test func idleConnectionsBeyondTheFileLimitDoNotStarveSenders() async throws {
        let daemon = try await Daemon(server: "  idle_timeout: 2s")
        try await daemon.start(wrapper: ["/usr/bin/prlimit", "--nofile=256:256", "--"])
        var idle: [RawConnection] = []
        for _ in 0..<300 { idle.append(try RawConnection(port: daemon.port)) }
        let pid = try #require(daemon.serve?.processIdentifier)
        let cpuBefore = try Self.cpuSeconds(pid)
        let started = ContinuousClock.now
        let response = try await daemon.post(Daemon.event("c-through"))
        #expect(response.status == 202)
        #expect(ContinuousClock.now - started < .seconds(15))
        try await Task.sleep(for: .seconds(1))
        let wall = (ContinuousClock.now - started) / .seconds(1)
        let cpu = try Self.cpuSeconds(pid) - cpuBefore
        #expect(cpu < wall * 0.5, "serve used \(cpu) s of CPU in \(wall) s")
        #expect(daemon.log.contains("server.max_connections lowered"))
        withExtendedLifetime(idle) {}
    }

    @Test func aUnixListenPathThatIsAFileIsNeverDeleted() async throws {
        let daemon = try await Daemon()
        try await daemon.start()
        #expect(try await daemon.post(Daemon.event("c-precious")).status == 202)
        daemon.signal(SIGTERM)
        #expect(try await daemon.waitForExit(timeout: .seconds(15)) == 0)
        try Self.setListen("unix:\(daemon.storePath)", in: daemon)
        let result = try await Command.run("outcomed", ["serve", "--config", daemon.configPath], environment: daemon.environment)
        #expect(result.status == 3)
        #expect(result.stderr.contains("is not a socket"), "\(result.stderr)")
        #expect(FileManager.default.fileExists(atPath: daemon.storePath), "the store was deleted to make room for a socket")
    }

    @Test func aSocketAnotherInstanceListensOnIsNotTaken() async throws {
        let first = try await Daemon()
        let second = try await Daemon()
        let socket = first.directory + "/outcomed.sock"
        try Self.setListen("unix:\(socket)", in: first)
        try Self.setListen("unix:\(socket)", in: second)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: Command.path(of: "outcomed"))
        process.arguments = ["serve", "--config", first.configPath]
        process.environment = ProcessInfo.processInfo.environment.merging(first.environment) { $1 }
        process.standardError = FileHandle.nullDevice
        try process.run()
        defer {
            process.terminate()
            process.waitUntilExit()
        }
        let deadline = ContinuousClock.now + .seconds(20)
        while !UnixSocketTests.answers(socket: socket) {
            guard ContinuousClock.now < deadline, process.isRunning else { Issue.record("no socket at \(socket)"); return }
            try await Task.sleep(for: .milliseconds(25))
        }
        let result = try await Command.run("outcomed", ["serve", "--config", second.configPath], environment: second.environment)
        #expect(result.status == 3)
        #expect(result.stderr.contains("another process is listening"), "\(result.stderr)")
        let accepted = try await UnixSocketTests.post(socket: socket, path: "/v1/events", body: Daemon.event("c-first-keeps-it"))
        #expect(accepted.hasPrefix("202 "), "\(accepted)")
    }

    @Test func aSecondServeOnTheSameStoreRefusesToStart() async throws {
        let daemon = try await Daemon()
        try await daemon.start()
        let other = daemon.directory + "/other.yaml"
        let text = try String(contentsOfFile: daemon.configPath, encoding: .utf8)
            .replacingOccurrences(of: "listen: 127.0.0.1:\(daemon.port)", with: "listen: 127.0.0.1:\(try TestPorts.reserve())")
        try text.write(toFile: other, atomically: true, encoding: .utf8)
        let result = try await Command.run("outcomed", ["serve", "--config", other], environment: daemon.environment)
        #expect(result.status == 3)
        #expect(result.stderr.contains("another outcomed serve (pid \(daemon.serve?.processIdentifier ?? 0))"), "\(result.stderr)")
        #expect(try await daemon.post(Daemon.event("c-still-mine")).status == 202)
    }

    static func setListen(_ listen: String, in daemon: Daemon) throws {
        let text = try String(contentsOfFile: daemon.configPath, encoding: .utf8)
            .replacingOccurrences(of: "listen: 127.0.0.1:\(daemon.port)", with: "listen: \(listen)")
        try text.write(toFile: daemon.configPath, atomically: true, encoding: .utf8)
    }

    /// User plus system CPU time of `pid`, from `/proc/PID/stat`.
    static func cpuSeconds(_ pid: Int32) throws -> Double {
        let text = try String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8)
        let fields = text[text.index(after: text.lastIndex(of: ")") ?? text.startIndex)...].split(separator: " ")
        let ticks = (Double(fields[11]) ?? 0) + (Double(fields[12]) ?? 0)
        return ticks / Double(sysconf(Int32(_SC_CLK_TCK)))
    }
}
