import Foundation
import Logging
import OutcomeDaemon
import TestSupport

/// `outcome-api-mock` and `outcomed serve` as real processes on free loopback ports, with a
/// config and a store in a temporary directory.
final class Daemon: @unchecked Sendable {
    static let apiToken = "e2e-api-token"
    let directory: String
    let configPath: String
    let storePath: String
    let logPath: String
    let port: Int
    let mockPort: Int
    let client: CurlClient
    var environment: [String: String]
    /// `api.timeout` of the config `writeConfig` writes.
    var apiTimeout = "5s"
    /// `api.rate_limit` of the config `writeConfig` writes.
    var rateLimit = 0
    private(set) var serve: Process?
    /// The mock this instance started; nil when it shares another instance's.
    private let mock: Process?
    /// The shared PostgreSQL store's URL, when the store is not the embedded one.
    let postgresURL: String?

    var baseURL: String { "http://127.0.0.1:\(port)" }
    var mockURL: String { "http://127.0.0.1:\(mockPort)" }

    /// Writes a config from `rules` and `server` YAML, and starts the mock (not yet serve).
    /// `storeDirectory` puts the store somewhere else than the temporary directory (a small
    /// file system, to fill it). With `postgresURL`, the store is that database; with
    /// `sharing`, this instance sends its PATCHes to the other's mock (several instances).
    init(
        server: String = "", rulesConfig: String? = nil, maxBody: String = "64KiB", retry: String = "initial_delay: 100ms\n    max_delay: 1s",
        storeDirectory: String? = nil, postgresURL: String? = nil, sharing other: Daemon? = nil, rateLimit: Int = 0
    ) async throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("outcomed-e2e-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        configPath = directory + "/outcomed.yaml"
        storePath = (storeDirectory ?? directory) + "/queue.sqlite"
        logPath = directory + "/serve.log"
        port = try TestPorts.reserve()
        self.postgresURL = postgresURL
        environment = ["OUTCOMED_API_TOKEN": Self.apiToken]
        if let postgresURL { environment["OUTCOMED_TEST_QUEUE_URL"] = postgresURL }
        client = CurlClient(timeout: .seconds(20), maxConnections: 16, maxBodyBytes: 64 << 20, logger: Logger(label: "e2e"))
        if let other {
            mockPort = other.mockPort
            mock = nil
        } else {
            mockPort = try TestPorts.reserve()
            let mock = Process()
            mock.executableURL = URL(fileURLWithPath: Command.path(of: "outcome-api-mock"))
            mock.arguments = ["--port", String(mockPort), "--token", Self.apiToken]
            mock.standardOutput = FileHandle.nullDevice
            try mock.run()
            self.mock = mock
            try await Self.waitForListener(port: mockPort)
        }
        self.rateLimit = rateLimit
        try writeConfig(server: server, rules: rulesConfig ?? Self.rules, maxBody: maxBody, retry: retry)
    }

    deinit {
        if let serve, serve.isRunning {
            kill(serve.processIdentifier, SIGKILL)
            serve.waitUntilExit()
        }
        mock?.terminate()
        mock?.waitUntilExit()
        client.shutdown()
        try? FileManager.default.removeItem(atPath: directory)
    }

    static let rules = """
        outcomes: [interested, callback, voicemail, do_not_call, not_interested, wrong_number]
        rules:
          - name: do-not-call
            outcome: do_not_call
            when: {transcript: {speaker: customer, any: ["stop calling"]}}
          - name: voicemail
            outcome: voicemail
            when: {is_answer_machine: true}
          - name: lead
            outcome: interested
            when: {is_lead: true}
          - name: callback
            outcome: callback
            when: {transcript: {speaker: customer, any: ["call me back", "busy right now"]}}
        """

    func writeConfig(server: String, rules: String, maxBody: String, retry: String) throws {
        let text = """
            server:
              listen: 127.0.0.1:\(port)
              max_body: \(maxBody)
            \(server)
            api:
              base_url: http://127.0.0.1:\(mockPort)/api/v1
              token_env: OUTCOMED_API_TOKEN
              timeout: \(apiTimeout)
              concurrency: 8
              rate_limit: \(rateLimit)
            queue:
              \(postgresURL == nil ? "path: \(storePath)" : "postgres: {url_env: OUTCOMED_TEST_QUEUE_URL}")
              retry:
                \(retry)
            \(rules)
            """
        try text.write(toFile: configPath, atomically: true, encoding: .utf8)
    }

    /// Starts `outcomed serve` and waits until it answers `/healthz`; `wrapper` runs it through
    /// another command (`prlimit --nofile=256 --`).
    func start(extraArguments: [String] = [], extraEnvironment: [String: String] = [:], wrapper: [String] = []) async throws {
        let process = Process()
        let command = wrapper + [Command.path(of: "outcomed"), "serve", "--config", configPath] + extraArguments
        process.executableURL = URL(fileURLWithPath: command[0])
        process.arguments = Array(command.dropFirst())
        var env = ProcessInfo.processInfo.environment
        env.removeValue(forKey: "NOTIFY_SOCKET")
        env.removeValue(forKey: "JOURNAL_STREAM")
        env.merge(environment) { $1 }
        env.merge(extraEnvironment) { $1 }
        process.environment = env
        if !FileManager.default.fileExists(atPath: logPath) { _ = FileManager.default.createFile(atPath: logPath, contents: nil) }
        let log = try FileHandle(forWritingTo: URL(fileURLWithPath: logPath))
        log.seekToEndOfFile()
        process.standardError = log
        process.standardOutput = log
        try process.run()
        serve = process
        let deadline = ContinuousClock.now + .seconds(20)
        while ContinuousClock.now < deadline {
            if !process.isRunning { throw DaemonError.exited(process.terminationStatus, log: self.log) }
            if let response = try? await get("/healthz"), response.status == 200 { return }
            try await Task.sleep(for: .milliseconds(25))
        }
        throw DaemonError.didNotStart(log: self.log)
    }

    enum DaemonError: Error, CustomStringConvertible {
        case didNotStart(log: String)
        case exited(Int32, log: String)
        case timeout(String)

        var description: String {
            switch self {
            case .didNotStart(let log): return "serve did not start:\n\(log)"
            case .exited(let status, let log): return "serve exited with \(status):\n\(log)"
            case .timeout(let what): return "timed out: \(what)"
            }
        }
    }

    /// Kills serve and waits for it.
    func stop() {
        guard let serve, serve.isRunning else { return }
        kill(serve.processIdentifier, SIGKILL)
        serve.waitUntilExit()
    }

    var log: String { (try? String(contentsOfFile: logPath, encoding: .utf8)) ?? "" }

    func signal(_ number: Int32) {
        if let serve { kill(serve.processIdentifier, number) }
    }

    /// Waits for serve to exit; returns its status, or nil if it is still running after `timeout`.
    func waitForExit(timeout: Duration) async throws -> Int32? {
        guard let serve else { return nil }
        let deadline = ContinuousClock.now + timeout
        while serve.isRunning {
            guard ContinuousClock.now < deadline else { return nil }
            try await Task.sleep(for: .milliseconds(20))
        }
        return serve.terminationStatus
    }

    func post(_ body: [UInt8], headers: [String] = ["Content-Type: application/json"], path: String = "/v1/events") async throws -> UpstreamResponse {
        try await client.send(.init(method: "POST", url: baseURL + path, headers: headers, body: body))
    }

    func post(_ text: String, headers: [String] = ["Content-Type: application/json"]) async throws -> UpstreamResponse {
        try await post(Array(text.utf8), headers: headers)
    }

    func get(_ path: String) async throws -> UpstreamResponse {
        try await client.send(.init(method: "GET", url: baseURL + path, headers: [], body: []))
    }

    /// The call ids the mock got a successful PATCH for.
    func deliveredCalls() async throws -> Set<String> {
        let response = try await client.send(.init(method: "GET", url: mockURL + "/-/requests", headers: [], body: []))
        let object = try JSONSerialization.jsonObject(with: Data(response.body)) as? [String: Any]
        let requests = object?["requests"] as? [[String: Any]] ?? []
        return Set(requests.filter { ($0["status"] as? Int) == 200 }.compactMap { $0["call_id"] as? String })
    }

    func mockMode(_ mode: String) async throws {
        _ = try await client.send(.init(method: "POST", url: mockURL + "/-/mode", headers: [], body: Array(#"{"mode":"\#(mode)"}"#.utf8)))
    }

    /// `--db` of the embedded store, or `--config` when the store is PostgreSQL.
    var storeArguments: [String] { postgresURL == nil ? ["--db", storePath] : ["--config", configPath] }

    /// `queue list --json` of one state.
    func queueJobs(state: String) async throws -> [[String: Any]] {
        let result = try await Command.run("outcomed", ["queue", "list", "--state", state, "--limit", "100000", "--json"] + storeArguments, environment: environment)
        return (try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [[String: Any]]) ?? []
    }

    func queueStats() async throws -> [String: Any] {
        let store = storeArguments
        let result = try await Command.run("outcomed", ["queue", "stats", "--json"] + store, environment: environment)
        return (try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any]) ?? [:]
    }

    /// Returns once something accepts TCP connections on `port`.
    static func waitForListener(port: Int, timeout: TimeInterval = 10) async throws {
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
            var address = sockaddr_in()
            address.sin_family = sa_family_t(AF_INET)
            address.sin_addr.s_addr = inet_addr("127.0.0.1")
            address.sin_port = UInt16(port).bigEndian
            let connected = withUnsafePointer(to: &address) { pointer in
                pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) == 0 }
            }
            close(descriptor)
            if connected { return }
            try await Task.sleep(for: .milliseconds(10))
        }
        throw DaemonError.timeout("nothing listens on port \(port)")
    }

    static func event(_ callID: String, lead: Bool = true, chat: String = "AI: hello\nUser: hi") -> String {
        let object: [String: Any] = ["data": ["id": callID, "is_lead": lead, "chat": chat, "call_outcome": ""]]
        let data = (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])) ?? Data()
        return String(decoding: data, as: UTF8.self)
    }
}

func jsonObject(_ response: UpstreamResponse) -> [String: Any] {
    ((try? JSONSerialization.jsonObject(with: Data(response.body))) as? [String: Any]) ?? [:]
}

extension Daemon {
    /// Another process (Python's sqlite3) holding an exclusive lock on a store until released.
    final class StoreLocker: Sendable {
        private let process: Process
        private let input: FileHandle

        fileprivate init(process: Process, input: FileHandle) {
            self.process = process
            self.input = input
        }

        /// Ends the lock holder (it exits when its stdin closes) and waits until it is gone.
        func release() async {
            try? input.close()
            await process.exited()
        }
    }

    /// Holds an exclusive lock on the store from another process until `release()` (or until
    /// this test process ends); returns once the lock is taken. No timer decides when the lock
    /// ends, so a slow machine cannot make a test see it released early.
    func lockStore() async throws -> StoreLocker {
        let locker = Process()
        locker.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        locker.arguments = ["python3", "-c", """
            import sqlite3, sys
            c = sqlite3.connect(sys.argv[1], isolation_level=None, timeout=10)
            c.execute('BEGIN EXCLUSIVE')
            print('locked', flush=True)
            sys.stdin.read()
            """, storePath]
        let out = Pipe(), input = Pipe()
        locker.standardOutput = out
        locker.standardInput = input
        try locker.run()
        let reader = out.fileHandleForReading
        let said = try await offPool { reader.availableData }
        guard String(decoding: said, as: UTF8.self).hasPrefix("locked") else { throw DaemonError.timeout("the lock holder did not take the lock") }
        return StoreLocker(process: locker, input: input.fileHandleForWriting)
    }
}
