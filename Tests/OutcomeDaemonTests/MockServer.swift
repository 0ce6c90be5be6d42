import Foundation
import Logging
import TestSupport
@testable import OutcomeDaemon

/// A running `outcome-api-mock` process on a free loopback port, stopped when released.
final class MockServer: @unchecked Sendable {
    static let token = "test-token"
    let process = Process()
    let port: Int
    let client: CurlClient
    private let directory: TemporaryDirectory

    var baseURL: String { "http://127.0.0.1:\(port)/api/v1" }

    /// Starts the mock and waits (without holding a pool thread) until it has written its port.
    init() async throws {
        directory = try TemporaryDirectory()
        let portFile = directory.path + "/port"
        let products = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath().deletingLastPathComponent()
        process.executableURL = products.appendingPathComponent("outcome-api-mock")
        process.arguments = ["--port", "0", "--token", Self.token, "--port-file", portFile]
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        let deadline = Date().addingTimeInterval(10)
        while (try? String(contentsOfFile: portFile, encoding: .utf8)).flatMap({ Int($0) }) == nil {
            guard Date() < deadline, process.isRunning else { throw MockError.didNotStart }
            try await Task.sleep(for: .milliseconds(10))
        }
        port = Int(try String(contentsOfFile: portFile, encoding: .utf8)) ?? 0
        client = CurlClient(timeout: .seconds(5), maxConnections: 2, logger: Logger(label: "mock-control"))
    }

    deinit {
        client.shutdown()
        process.terminate()
        process.waitUntilExit()
    }

    enum MockError: Error { case didNotStart, badAnswer(String) }

    struct Recorded: Sendable {
        var callID: String
        var outcome: String?
        var status: Int
        var at: Double
        var path: String
        var authorization: String?
        var userAgent: String?
        var contentType: String?
        var accept: String?
    }

    @discardableResult
    func control(_ method: String, _ path: String, _ body: [String: Any]? = nil) async throws -> [String: Any] {
        let data = try body.map { try JSONSerialization.data(withJSONObject: $0) } ?? Data()
        let response = try await client.send(.init(method: method, url: "http://127.0.0.1:\(port)\(path)", headers: ["Content-Type: application/json"], body: Array(data)))
        guard response.status == 200, let object = try JSONSerialization.jsonObject(with: Data(response.body)) as? [String: Any] else {
            // Everything that tells a mock that died, or another server on its port, from a bad answer.
            throw MockError.badAnswer("\(method) \(path) on port \(port): status \(response.status), mock running: \(process.isRunning), body: \(String(decoding: response.body, as: UTF8.self))")
        }
        return object
    }

    func script(_ callID: String, _ responses: [[String: Any]]) async throws {
        try await control("POST", "/-/faults", ["call_id": callID, "responses": responses])
    }

    func mode(_ mode: String) async throws {
        try await control("POST", "/-/mode", ["mode": mode])
    }

    func requests(callID: String? = nil) async throws -> [Recorded] {
        let query = callID.map { "?call_id=" + (DeliverySettings.encodeSegment($0)) } ?? ""
        let object = try await control("GET", "/-/requests" + query)
        return (object["requests"] as? [[String: Any]] ?? []).map { r in
            Recorded(
                callID: r["call_id"] as? String ?? "", outcome: r["outcome"] as? String, status: r["status"] as? Int ?? 0,
                at: r["at"] as? Double ?? 0, path: r["path"] as? String ?? "", authorization: r["authorization"] as? String,
                userAgent: r["user_agent"] as? String, contentType: r["content_type"] as? String, accept: r["accept"] as? String
            )
        }
    }
}
