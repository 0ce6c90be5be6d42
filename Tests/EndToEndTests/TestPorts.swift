import Foundation
import Synchronization

/// Loopback ports for the servers the tests start. A port is handed out once per test process
/// and kept across restarts of its server; it comes from below the kernel's ephemeral range,
/// so no outgoing connection is ever given it, and it is checked free when handed out.
/// (Binding port 0, reading the number and closing again raced between parallel suites: two
/// servers could be told the same port.)
enum TestPorts {
    static let lowest = 10_000
    private static let next = Mutex<Int?>(nil)

    static func reserve() throws -> Int {
        let ceiling = ephemeralStart()
        let span = ceiling - lowest
        for _ in 0..<span {
            let port = next.withLock { next -> Int in
                let current = next ?? lowest + Int(getpid() &* 7919 % Int32(span))
                next = lowest + (current + 1 - lowest) % span
                return current
            }
            if isFree(port) { return port }
        }
        throw Daemon.DaemonError.timeout("no free port below \(ceiling)")
    }

    static func ephemeralStart() -> Int {
        let text = (try? String(contentsOfFile: "/proc/sys/net/ipv4/ip_local_port_range", encoding: .utf8)) ?? ""
        let low = text.split(whereSeparator: \.isWhitespace).first.flatMap { Int($0) } ?? 32_768
        return max(low, lowest + 1_000)
    }

    static func isFree(_ port: Int) -> Bool {
        let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard descriptor >= 0 else { return false }
        defer { close(descriptor) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = UInt16(port).bigEndian
        return withUnsafePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) == 0 }
        }
    }
}
