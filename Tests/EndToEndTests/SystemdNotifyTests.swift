import Foundation
import Testing
import TestSupport

/// `outcomed serve` talking to a fake systemd: a datagram socket named by `NOTIFY_SOCKET`.
@Suite(.serialized, .timeLimit(.minutes(2)))
struct SystemdNotifyTests {
    final class NotifySocket: @unchecked Sendable {
        let path: String
        let descriptor: Int32

        /// Binds `path`; a path that starts with `@` is in the abstract namespace.
        init(path: String) throws {
            self.path = path
            descriptor = socket(AF_UNIX, Int32(SOCK_DGRAM.rawValue), 0)
            var address = sockaddr_un()
            address.sun_family = sa_family_t(AF_UNIX)
            var bytes = Array(path.utf8)
            let abstract = bytes.first == UInt8(ascii: "@")
            if abstract { bytes[0] = 0 } else { bytes.append(0) }
            withUnsafeMutableBytes(of: &address.sun_path) { $0.copyBytes(from: bytes) }
            let length = abstract ? MemoryLayout<sockaddr_un>.offset(of: \.sun_path)! + bytes.count : MemoryLayout<sockaddr_un>.size
            let bound = withUnsafePointer(to: &address) { pointer in
                pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(descriptor, $0, socklen_t(length)) }
            }
            guard bound == 0 else { throw Daemon.DaemonError.timeout("cannot bind \(path)") }
            var timeout = timeval(tv_sec: 0, tv_usec: 100_000)
            setsockopt(descriptor, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        }

        deinit {
            close(descriptor)
            if !path.hasPrefix("@") { unlink(path) }
        }

        /// Messages received until `condition` holds for everything received, or `timeout`;
        /// the blocking receives run on a thread of their own.
        func receive(until condition: @escaping @Sendable ([String]) -> Bool, timeout: Duration, into messages: inout [String]) async {
            let start = messages
            messages = (try? await offPool { self.receiveBlocking(until: condition, timeout: timeout, after: start) }) ?? start
        }

        private func receiveBlocking(until condition: ([String]) -> Bool, timeout: Duration, after start: [String]) -> [String] {
            var messages = start
            let deadline = ContinuousClock.now + timeout
            var buffer = [UInt8](repeating: 0, count: 4096)
            while ContinuousClock.now < deadline, !condition(messages) {
                let count = recv(descriptor, &buffer, buffer.count, 0)
                if count > 0 { messages.append(String(decoding: buffer[0..<count], as: UTF8.self)) }
            }
            return messages
        }

        /// When each `WATCHDOG=1` arrived during `duration`, read on a thread of its own.
        func watchdogPings(for duration: Duration) async -> [ContinuousClock.Instant] {
            (try? await offPool {
                var pings: [ContinuousClock.Instant] = []
                let deadline = ContinuousClock.now + duration
                var buffer = [UInt8](repeating: 0, count: 4096)
                while ContinuousClock.now < deadline {
                    let count = recv(self.descriptor, &buffer, buffer.count, 0)
                    if count > 0, String(decoding: buffer[0..<count], as: UTF8.self) == "WATCHDOG=1" { pings.append(.now) }
                }
                return pings
            }) ?? []
        }
    }

    @Test func readyWatchdogReloadingAndStopping() async throws {
        let daemon = try await Daemon()
        let notify = try NotifySocket(path: daemon.directory + "/notify.sock")
        try await daemon.start(extraEnvironment: ["NOTIFY_SOCKET": notify.path, "WATCHDOG_USEC": "400000"])
        var messages: [String] = []
        await notify.receive(until: { all in all.filter { $0 == "WATCHDOG=1" }.count >= 2 }, timeout: .seconds(10), into: &messages)
        #expect(messages.first?.hasPrefix("READY=1") == true, "\(messages)")
        #expect(messages.filter { $0 == "WATCHDOG=1" }.count >= 2, "\(messages)")

        messages.removeAll()
        daemon.signal(SIGHUP)
        await notify.receive(until: { all in all.contains { $0.hasPrefix("RELOADING=1") } && all.contains("READY=1") }, timeout: .seconds(10), into: &messages)
        let reloading = messages.firstIndex { $0.hasPrefix("RELOADING=1") }
        let ready = messages.lastIndex(of: "READY=1")
        #expect(reloading != nil && ready != nil && reloading! < ready!, "\(messages)")
        #expect(messages.first { $0.hasPrefix("RELOADING=1") }?.contains("MONOTONIC_USEC=") == true)

        messages.removeAll()
        daemon.signal(SIGTERM)
        await notify.receive(until: { $0.contains("STOPPING=1") }, timeout: .seconds(10), into: &messages)
        #expect(messages.contains("STOPPING=1"), "\(messages)")
        #expect(try await daemon.waitForExit(timeout: .seconds(15)) == 0)
    }

    /// A receiver that never reads fills its queue (`max_dgram_qlen`, 10 here) within a few
    /// watchdog pings; from then on a blocking send would hang every request on its event loop.
    @Test func aNotifySocketThatIsNeverReadDoesNotStallIntake() async throws {
        let daemon = try await Daemon()
        let notify = try NotifySocket(path: daemon.directory + "/notify.sock")
        try await daemon.start(extraEnvironment: ["NOTIFY_SOCKET": notify.path, "WATCHDOG_USEC": "20000"])
        try await Task.sleep(for: .milliseconds(500))
        // A stalled event loop holds a request until the client gives up (20 s); a busy machine
        // only makes each one slower. So the longest single request is what tells them apart.
        let started = ContinuousClock.now
        var longest = Duration.zero
        for index in 0..<40 {
            let posted = ContinuousClock.now
            #expect(try await daemon.post(Daemon.event("c-unread-\(index)")).status == 202)
            let probed = ContinuousClock.now
            #expect(try await daemon.get("/healthz").status == 200)
            longest = max(longest, probed - posted, ContinuousClock.now - probed)
        }
        print("80 requests beside a notify socket that is never read: \(ContinuousClock.now - started) in all, the longest \(longest)")
        #expect(longest < .seconds(5), "a request waited \(longest) while the notify socket was full")
        daemon.signal(SIGTERM)
        #expect(try await daemon.waitForExit(timeout: .seconds(15)) == 0)
    }

    @Test func anAbstractNotifySocketGetsReady() async throws {
        let daemon = try await Daemon()
        let notify = try NotifySocket(path: "@outcomed-test-\(UUID().uuidString)")
        try await daemon.start(extraEnvironment: ["NOTIFY_SOCKET": notify.path])
        var messages: [String] = []
        await notify.receive(until: { $0.contains { $0.hasPrefix("READY=1") } }, timeout: .seconds(10), into: &messages)
        #expect(messages.contains { $0.hasPrefix("READY=1") }, "\(messages)")
    }

    @Test func theWatchdogFallsSilentWhileTheDeliveryLoopIsStuck() async throws {
        let daemon = try await Daemon()
        let notify = try NotifySocket(path: daemon.directory + "/notify.sock")
        try await daemon.start(extraEnvironment: ["NOTIFY_SOCKET": notify.path, "WATCHDOG_USEC": "400000"])
        var messages: [String] = []
        await notify.receive(until: { $0.contains("WATCHDOG=1") }, timeout: .seconds(10), into: &messages)
        #expect(messages.contains("WATCHDOG=1"))
        // A job keeps being due (the upstream is down), and claiming it blocks on a store that
        // another process holds locked: the delivery loop is stuck.
        try await daemon.mockMode("down")
        #expect(try await daemon.post(Daemon.event("c-stuck")).status == 202)
        try await Task.sleep(for: .milliseconds(300))
        let locker = try await daemon.lockStore()
        try await Task.sleep(for: .milliseconds(500))
        let start = ContinuousClock.now
        let pings = await notify.watchdogPings(for: .seconds(6))
        // The silence may start late in the window on a busy machine, so the time after the last
        // ping counts as a gap too.
        let edges = [start] + pings + [ContinuousClock.now]
        let longest = zip(edges.dropFirst(), edges).map { $0 - $1 }.max() ?? .zero
        #expect(longest > .seconds(2), "pings kept coming every \(longest) while the loop was stuck")
        #expect(daemon.log.contains("delivery loop is stuck"))
        await locker.release()
        messages.removeAll()
        await notify.receive(until: { $0.contains("WATCHDOG=1") }, timeout: .seconds(10), into: &messages)
        #expect(messages.contains("WATCHDOG=1"), "pings resume once the loop moves again")
    }
}
