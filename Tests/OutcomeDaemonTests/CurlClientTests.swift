import Foundation
import Testing
@testable import OutcomeDaemon

/// The libcurl client on its own thread: cancellation, errors, timeouts.
@Suite(.timeLimit(.minutes(1)))
struct CurlClientTests {
    /// A loopback port nothing listens on: bound by the OS, then closed.
    static func refusedPort() throws -> Int {
        let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(descriptor) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(descriptor, $0, length) == 0 && getsockname(descriptor, $0, &length) == 0 }
        }
        guard bound else { throw POSIXError(.EADDRNOTAVAIL) }
        return Int(UInt16(bigEndian: address.sin_port))
    }

    static func patch(_ mock: MockServer, call: String) -> CurlClient.Request {
        CurlClient.Request(
            method: "PATCH", url: mock.baseURL + "/webhooks/calls/\(call)/change-outcome",
            headers: ["Authorization: Bearer \(MockServer.token)", "Content-Type: application/json"],
            body: Array(#"{"call_outcome":"interested"}"#.utf8)
        )
    }

    @Test func aCancelWhileTheCurlThreadIsBusyEndsTheRequestAtOnceAndNothingIsSent() async throws {
        let mock = try await MockServer()
        let gate = LogGate(holdingAt: "request failed")
        let client = CurlClient(timeout: .seconds(5), maxConnections: 2, logger: gate.logger)
        defer {
            gate.release()
            client.shutdown()
        }
        let port = try Self.refusedPort()
        let refused = Task { try await client.send(.init(method: "GET", url: "http://127.0.0.1:\(port)/", headers: [], body: [])) }
        await gate.entered()

        let held = Task { try await client.send(Self.patch(mock, call: "held")) }
        held.cancel()
        let endedWhileBusy = await withTaskGroup(of: Bool.self) { group in
            group.addTask { _ = await held.result; return true }
            group.addTask { (try? await Task.sleep(for: .seconds(2))) == nil }
            let first = await group.next() ?? false
            group.cancelAll()
            gate.release()
            return first
        }
        #expect(endedWhileBusy, "the cancelled request waited for the busy curl thread")
        await #expect(throws: CancellationError.self) { try await held.value }
        await #expect(throws: TransportError.self) { try await refused.value }
        #expect(try await mock.requests(callID: "held").isEmpty)
    }

    @Test func aRequestCancelledBeforeItIsSentNeverReachesTheUpstream() async throws {
        let mock = try await MockServer()
        let client = CurlClient(timeout: .seconds(5), maxConnections: 2, logger: CapturedLog().logger())
        defer { client.shutdown() }
        for index in 0..<200 {
            let task = Task {
                withUnsafeCurrentTask { $0?.cancel() }
                return try await client.send(Self.patch(mock, call: "early-\(index)"))
            }
            await #expect(throws: CancellationError.self) { try await task.value }
        }
        #expect(try await mock.requests().isEmpty)
    }

    @Test func aCancelWhileTheRequestIsOnTheWireEndsItAtOnce() async throws {
        let mock = try await MockServer()
        let client = CurlClient(timeout: .seconds(20), maxConnections: 2, logger: CapturedLog().logger())
        defer { client.shutdown() }
        try await mock.script("slow", [["delay_ms": 10_000, "status": 200]])
        let started = ContinuousClock.now
        let slow = Task { try await client.send(Self.patch(mock, call: "slow")) }
        while try await mock.requests(callID: "slow").isEmpty {
            try await Task.sleep(for: .milliseconds(10))
        }
        slow.cancel()
        await #expect(throws: CancellationError.self) { try await slow.value }
        #expect(ContinuousClock.now - started < .seconds(5))
    }

    @Test func eachRequestRunsUnderItsOwnTimeout() async throws {
        let mock = try await MockServer()
        let client = CurlClient(timeout: .seconds(20), maxConnections: 2, logger: CapturedLog().logger())
        defer { client.shutdown() }
        try await mock.script("slow", Array(repeating: ["delay_ms": 1000, "status": 200], count: 2))
        var short = Self.patch(mock, call: "slow")
        short.timeout = .milliseconds(300)
        let error = await #expect(throws: TransportError.self) { try await client.send(short) }
        #expect(error?.isTimeout == true)
        var long = short
        long.timeout = .seconds(5)
        #expect(try await client.send(long).status == 200)
    }

    @Test func consecutiveFailuresCarryTheirOwnExplanation() async throws {
        let client = CurlClient(timeout: .seconds(5), maxConnections: 1, logger: CapturedLog().logger())
        defer { client.shutdown() }
        for _ in 0..<3 {
            let port = try Self.refusedPort()
            let error = await #expect(throws: TransportError.self) {
                try await client.send(.init(method: "GET", url: "http://127.0.0.1:\(port)/", headers: [], body: []))
            }
            #expect(error?.message.contains("port \(port)") == true, "\(String(describing: error))")
        }
    }
}
