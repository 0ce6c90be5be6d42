import Dispatch
import Foundation
import Synchronization

/// `sd_notify` without libsystemd: one datagram per message to `$NOTIFY_SOCKET`
/// (a path, or an abstract socket when it starts with `@`). Without the variable it does nothing.
///
/// Sending never blocks the caller: a receiver that does not read (systemd busy, a full
/// `max_dgram_qlen` queue) must not stall the event loop that asked to send. Messages go out in
/// order from a queue of their own; watchdog and status pings are dropped while too many wait.
public final class SystemdNotifier: Sendable {
    /// Messages that may wait to be sent before watchdog and status pings are dropped.
    public static let maxBacklog = 16
    /// How long one send may wait for room in the receiver's queue before it is given up.
    static let sendTimeout = timeval(tv_sec: 2, tv_usec: 0)

    let socketPath: String?
    private let queue = DispatchQueue(label: "outcomed.sd-notify")
    private let backlog = Atomic<Int>(0)
    private let sentCount = Atomic<Int>(0)

    /// Reads `NOTIFY_SOCKET` from `environment`.
    public init(environment: [String: String] = ProcessInfo.processInfo.environment) {
        socketPath = environment["NOTIFY_SOCKET"].flatMap { $0.isEmpty ? nil : $0 }
    }

    /// Whether a notify socket is configured.
    public var isEnabled: Bool { socketPath != nil }

    /// Messages sent so far (for tests and the watchdog's own accounting).
    public var sent: Int { sentCount.load(ordering: .relaxed) }

    /// Queues `state`, such as `READY=1` or `STATUS=…`, and returns at once; false when it was
    /// dropped (no socket, or a ping while the receiver is behind).
    @discardableResult
    public func notify(_ state: String) -> Bool {
        guard let socketPath else { return false }
        let droppable = state.hasPrefix("WATCHDOG=") || state.hasPrefix("STATUS=")
        let waiting = backlog.wrappingAdd(1, ordering: .relaxed).newValue
        if droppable && waiting > Self.maxBacklog {
            backlog.wrappingSubtract(1, ordering: .relaxed)
            return false
        }
        queue.async {
            if Self.send(state, to: socketPath) { self.sentCount.wrappingAdd(1, ordering: .relaxed) }
            self.backlog.wrappingSubtract(1, ordering: .relaxed)
        }
        return true
    }

    /// Sends one datagram; blocks at most `sendTimeout` (this runs on the notifier's own queue).
    static func send(_ state: String, to socketPath: String) -> Bool {
        let descriptor = socket(AF_UNIX, Int32(SOCK_DGRAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard descriptor >= 0 else { return false }
        defer { close(descriptor) }
        var timeout = sendTimeout
        setsockopt(descriptor, SOL_SOCKET, SO_SNDTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        var path = Array(socketPath.utf8)
        if path.first == UInt8(ascii: "@") { path[0] = 0 }
        let capacity = MemoryLayout.size(ofValue: address.sun_path)
        guard path.count < capacity, let pathOffset = MemoryLayout<sockaddr_un>.offset(of: \.sun_path) else { return false }
        withUnsafeMutableBytes(of: &address.sun_path) { buffer in
            buffer.copyBytes(from: path)
        }
        let length = socklen_t(pathOffset + path.count + (path.first == 0 ? 0 : 1))
        let message = Array(state.utf8)
        let sent = withUnsafePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { socketAddress in
                sendto(descriptor, message, message.count, Int32(MSG_NOSIGNAL), socketAddress, length)
            }
        }
        return sent == message.count
    }
}
