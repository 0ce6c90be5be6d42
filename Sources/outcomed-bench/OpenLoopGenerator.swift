import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// The open-loop load of the decision-to-PATCH figure: POSTs sent at fixed times from one
/// thread, over plain keep-alive sockets to 127.0.0.1.
///
/// It shares the two cores with the daemon it measures, so it is kept lean: a write and a read
/// per event, and no task, continuation or wakeup of another thread. (libcurl with a Swift task
/// per request cost about 170 µs of CPU per event, as much as the mock and the PostgreSQL
/// server together.) Request `i` is due at `i / rate` seconds after the start; it goes out on
/// an idle connection, or on a new one, so nothing waits for a connection to free.
struct OpenLoopGenerator {
    /// What became of each request, by index: times in seconds after the start (monotonic),
    /// `sentWall` on the wall clock the mock stamps PATCHes with, and the status (0: no answer).
    struct Outcome {
        var due: [Double]
        var sent: [Double]
        var sentWall: [Double]
        var answered: [Double]
        var status: [Int]
    }

    enum Failure: Error, CustomStringConvertible {
        case system(String, Int32)

        var description: String {
            switch self {
            case .system(let call, let code): "\(call): \(String(cString: strerror(code)))"
            }
        }
    }

    private struct Connection {
        var fd: Int32
        var connected = false
        /// The request on this connection (being connected, or waiting for its answer), if any.
        var request: Int?
        var received: [UInt8] = []
    }

    var port: Int
    var path: String
    /// Connections open at most; past them, due requests wait (and the send lag shows it), as
    /// they would in a client's pool.
    var maxConnections = 256

    /// Sends `total` requests at `rate` a second, the body of request `i` from `body(i)`, and
    /// waits for their answers until `answerTimeout` after the last one was due.
    func run(total: Int, rate: Int, answerTimeout: Double, body: @escaping (Int) -> String) throws -> Outcome {
        var state = RunState(
            generator: self, body: body,
            outcome: Outcome(
                due: (0..<total).map { Double($0) / Double(rate) }, sent: Array(repeating: 0, count: total),
                sentWall: Array(repeating: 0, count: total), answered: Array(repeating: 0, count: total), status: Array(repeating: 0, count: total)
            )
        )
        defer { for connection in state.connections where connection.fd >= 0 { close(connection.fd) } }
        var next = 0
        var queue: [Int] = []
        var pollSet: [pollfd] = []
        var owners: [Int] = []
        var buffer = [UInt8](repeating: 0, count: 64 << 10)
        while true {
            let elapsed = state.elapsed
            while next < total, state.outcome.due[next] <= elapsed {
                queue.append(next)
                next += 1
            }
            var taken = 0
            while taken < queue.count, try state.start(queue[taken]) { taken += 1 }
            queue.removeFirst(taken)
            // The end: every request answered, or the answers' time is up (counted from the last
            // request's due time, so a server that answers nothing cannot hold the run forever).
            let end = (state.outcome.due.last ?? 0) + answerTimeout
            if next == total, queue.isEmpty && state.waiting == 0 || elapsed > end { break }

            pollSet.removeAll(keepingCapacity: true)
            owners.removeAll(keepingCapacity: true)
            for (index, connection) in state.connections.enumerated() where connection.request != nil {
                pollSet.append(pollfd(fd: connection.fd, events: Int16(connection.connected ? POLLIN : POLLOUT), revents: 0))
                owners.append(index)
            }
            let until = next < total ? state.outcome.due[next] : end
            if Self.poll(&pollSet, seconds: max(0, until - state.elapsed)) < 0 {
                guard errno == EINTR else { throw Failure.system("ppoll", errno) }
                continue
            }
            for (entry, index) in zip(pollSet, owners) where entry.revents != 0 {
                if state.connections[index].connected {
                    state.receive(on: index, into: &buffer)
                } else {
                    state.connected(index)
                }
            }
        }
        // Requests never sent (every connection allowed stayed busy) count as sent at the end.
        let elapsed = state.elapsed
        for request in queue { state.outcome.sent[request] = elapsed }
        return state.outcome
    }

    /// The connections and what became of each request, as one run goes.
    private struct RunState {
        let generator: OpenLoopGenerator
        let body: (Int) -> String
        var outcome: Outcome
        var connections: [Connection] = []
        var idle: [Int] = []
        /// Slots of connections that broke or were closed.
        var free: [Int] = []
        /// Requests on a connection (being connected, or sent) and not yet answered.
        var waiting = 0
        let start = OpenLoopGenerator.now(CLOCK_MONOTONIC)

        init(generator: OpenLoopGenerator, body: @escaping (Int) -> String, outcome: Outcome) {
            self.generator = generator
            self.body = body
            self.outcome = outcome
        }

        var elapsed: Double { OpenLoopGenerator.now(CLOCK_MONOTONIC) - start }

        /// Puts `request` on an idle connection (sent now) or a new one (sent once connected);
        /// false when every connection allowed is busy.
        mutating func start(_ request: Int) throws -> Bool {
            if let index = idle.popLast() {
                connections[index].request = request
                waiting += 1
                send(on: index)
                return true
            }
            guard connections.count - free.count < generator.maxConnections else { return false }
            let (fd, connected) = try generator.connect()
            let connection = Connection(fd: fd, connected: connected, request: request)
            let index: Int
            if let slot = free.popLast() {
                connections[slot] = connection
                index = slot
            } else {
                connections.append(connection)
                index = connections.count - 1
            }
            waiting += 1
            if connected { send(on: index) }
            return true
        }

        mutating func connected(_ index: Int) {
            var problem: Int32 = 0
            var size = socklen_t(MemoryLayout<Int32>.size)
            getsockopt(connections[index].fd, SOL_SOCKET, SO_ERROR, &problem, &size)
            guard problem == 0 else { return drop(index) }
            connections[index].connected = true
            send(on: index)
        }

        mutating func send(on index: Int) {
            guard let request = connections[index].request else { return }
            let content = body(request)
            let bytes = Array("POST \(generator.path) HTTP/1.1\r\nHost: 127.0.0.1:\(generator.port)\r\nContent-Type: application/json\r\nContent-Length: \(content.utf8.count)\r\n\r\n\(content)".utf8)
            outcome.sentWall[request] = OpenLoopGenerator.now(CLOCK_REALTIME)
            outcome.sent[request] = elapsed
            // One small request on an otherwise empty socket: it goes out whole, or the
            // connection is gone.
            let written = bytes.withUnsafeBytes { Glibc.send(connections[index].fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            if written != bytes.count { drop(index) }
        }

        mutating func receive(on index: Int, into buffer: inout [UInt8]) {
            let count = read(connections[index].fd, &buffer, buffer.count)
            if count < 0, errno == EAGAIN || errno == EINTR { return }
            guard count > 0 else { return drop(index) }
            connections[index].received.append(contentsOf: buffer[0..<count])
            guard let request = connections[index].request, let answer = OpenLoopGenerator.response(in: connections[index].received) else { return }
            outcome.answered[request] = elapsed
            outcome.status[request] = answer.status
            waiting -= 1
            connections[index].request = nil
            connections[index].received.removeAll(keepingCapacity: true)
            if answer.keepAlive {
                idle.append(index)
            } else {
                drop(index)
            }
        }

        /// Closes a connection that broke; its request stays unanswered (status 0), and its slot
        /// takes the next new connection.
        mutating func drop(_ index: Int) {
            close(connections[index].fd)
            if connections[index].request != nil { waiting -= 1 }
            connections[index] = Connection(fd: -1)
            free.append(index)
        }
    }

    /// A non-blocking connection to the server, with Nagle's delay off as libcurl does, and
    /// whether it is already connected.
    fileprivate func connect() throws -> (Int32, Bool) {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_NONBLOCK.rawValue), 0)
        guard fd >= 0 else { throw Failure.system("socket", errno) }
        var on: Int32 = 1
        setsockopt(fd, Int32(IPPROTO_TCP), TCP_NODELAY, &on, socklen_t(MemoryLayout<Int32>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let result = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { Glibc.connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        if result == 0 { return (fd, true) }
        let code = errno
        guard code == EINPROGRESS else {
            close(fd)
            throw Failure.system("connect to 127.0.0.1:\(port)", code)
        }
        return (fd, false)
    }

    /// The status of a complete HTTP/1.1 response in `bytes`, and whether its connection stays
    /// open; nil while it is incomplete. Bodies are sized by Content-Length (absent: empty).
    static func response(in bytes: [UInt8]) -> (status: Int, keepAlive: Bool)? {
        let end: [UInt8] = Array("\r\n\r\n".utf8)
        guard bytes.count >= 12, let headEnd = bytes.indices.dropLast(3).first(where: { bytes[$0..<$0 + 4].elementsEqual(end) }) else { return nil }
        let head = String(decoding: bytes[0..<headEnd], as: UTF8.self).lowercased()
        let lines = head.split(separator: "\r\n")
        guard let statusLine = lines.first, statusLine.hasPrefix("http/1."), let status = Int(statusLine.dropFirst(9).prefix(3)) else { return (-1, false) }
        var length = 0
        var keepAlive = statusLine.hasPrefix("http/1.1")
        for line in lines.dropFirst() {
            let parts = line.split(separator: ":", maxSplits: 1)
            guard parts.count == 2 else { continue }
            let value = parts[1].trimmingCharacters(in: .whitespaces)
            switch parts[0] {
            case "content-length": length = Int(value) ?? 0
            case "connection": keepAlive = value == "keep-alive" || (keepAlive && value != "close")
            default: break
            }
        }
        return bytes.count >= headEnd + 4 + length ? (status, keepAlive) : nil
    }

    /// `ppoll`, whose timeout is in nanoseconds: `poll`'s milliseconds would send the events of
    /// each millisecond in a burst. Swift's Glibc module does not declare it (it needs
    /// `_GNU_SOURCE`), so it is looked up once; without it, `poll` rounds the wait up.
    private static let ppoll: (@convention(c) (UnsafeMutablePointer<pollfd>?, nfds_t, UnsafePointer<timespec>?, UnsafeRawPointer?) -> Int32)? =
        dlsym(nil, "ppoll").map { unsafeBitCast($0, to: (@convention(c) (UnsafeMutablePointer<pollfd>?, nfds_t, UnsafePointer<timespec>?, UnsafeRawPointer?) -> Int32).self) }

    private static func poll(_ set: inout [pollfd], seconds: Double) -> Int32 {
        guard let ppoll else { return Glibc.poll(&set, nfds_t(set.count), Int32((seconds * 1000).rounded(.up))) }
        var timeout = timespec(seconds: seconds)
        return ppoll(&set, nfds_t(set.count), &timeout, nil)
    }

    fileprivate static func now(_ clock: clockid_t) -> Double {
        var time = timespec()
        clock_gettime(clock, &time)
        return Double(time.tv_sec) + Double(time.tv_nsec) / 1e9
    }
}

private extension timespec {
    init(seconds: Double) {
        let whole = seconds.rounded(.down)
        self.init(tv_sec: Int(whole), tv_nsec: Int((seconds - whole) * 1e9))
    }
}
