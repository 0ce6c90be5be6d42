import CCurl
import Foundation
import Logging
import Synchronization

/// An HTTP client over one libcurl multi handle, driven by a dedicated thread so that no
/// request ever blocks the Swift concurrency pool. Connections are kept alive and reused.
public final class CurlClient: Sendable {
    /// A request to send.
    public struct Request: Sendable {
        /// HTTP method, such as PATCH.
        public var method: String
        /// The full URL.
        public var url: String
        /// Header lines, `Name: value`.
        public var headers: [String]
        /// The body.
        public var body: [UInt8]
        /// Connect and total time allowed; nil takes the client's default.
        public var timeout: Duration?

        /// Creates a request.
        public init(method: String, url: String, headers: [String], body: [UInt8], timeout: Duration? = nil) {
            self.method = method
            self.url = url
            self.headers = headers
            self.body = body
            self.timeout = timeout
        }
    }

    /// Runs `curl_global_init` once per process; `main` calls it first, before any thread starts.
    public static let globalInit: Void = {
        curl_global_init(Int(CURL_GLOBAL_DEFAULT))
    }()

    private let timeout: Duration
    private let maxBodyBytes: Int
    private let logger: Logger
    private let inbox: Mutex<Inbox>
    private let handle: MultiHandle
    private var multi: UnsafeMutableRawPointer { handle.pointer }
    private let stopped = DispatchSemaphore(value: 0)

    /// What other threads hand to the client's thread.
    struct Inbox: ~Copyable {
        var submitted: [Transfer] = []
        var idleConnections: Int
        var stopping = false
    }

    /// Creates a client and starts its thread. At least `maxConnections` idle connections are
    /// kept for reuse (`keepConnections` raises it later), at most `maxBodyBytes` of each answer's
    /// body are kept, and a request without its own timeout gets `timeout`.
    public init(timeout: Duration, maxConnections: Int, maxBodyBytes: Int = 64 * 1024, logger: Logger) {
        _ = Self.globalInit
        self.timeout = timeout
        self.maxBodyBytes = maxBodyBytes
        self.logger = logger
        inbox = Mutex(Inbox(idleConnections: Self.idleConnections(for: maxConnections)))
        handle = MultiHandle(pointer: curl_multi_init())
        let loop = Thread { [self] in
            self.run()
            self.stopped.signal()
        }
        loop.name = "outcomed-curl"
        loop.start()
    }

    /// Keeps enough idle connections for `maxConnections` requests at once (a reload of `api.concurrency`).
    public func keepConnections(for maxConnections: Int) {
        inbox.withLock { $0.idleConnections = Self.idleConnections(for: maxConnections) }
        curl_multi_wakeup(multi)
    }

    static func idleConnections(for maxConnections: Int) -> Int {
        max(64, maxConnections * 2)
    }

    /// Sends a request; throws `TransportError` when no HTTP answer came, and
    /// `CancellationError` when the task was cancelled.
    public func send(_ request: Request) async throws -> UpstreamResponse {
        let transfer = Transfer(request: request, timeout: request.timeout ?? timeout, bodyLimit: maxBodyBytes, logger: logger)
        return try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { continuation in
                transfer.continuation = continuation
                let accepted = inbox.withLock { inbox in
                    guard !inbox.stopping, !transfer.isCancelled else { return false }
                    inbox.submitted.append(transfer)
                    return true
                }
                if accepted {
                    curl_multi_wakeup(multi)
                } else {
                    transfer.finish(.failure(CancellationError()))
                }
            }
        } onCancel: {
            // Under the inbox lock: either the transfer is still waiting there and ends here, or
            // the client's thread has it (or will never get it) and sees the flag.
            let withdrawn = inbox.withLock { inbox in
                transfer.cancel()
                guard let index = inbox.submitted.firstIndex(where: { $0 === transfer }) else { return false }
                inbox.submitted.remove(at: index)
                return true
            }
            if withdrawn {
                transfer.finish(.failure(CancellationError()))
            } else {
                curl_multi_wakeup(multi)
            }
        }
    }

    /// Stops the thread; requests still running fail with `CancellationError`.
    public func shutdown() {
        let first = inbox.withLock { inbox in
            defer { inbox.stopping = true }
            return !inbox.stopping
        }
        guard first else { return }
        curl_multi_wakeup(multi)
        stopped.wait()
    }

    private func run() {
        var running: [UnsafeMutableRawPointer: (easy: EasyHandle, transfer: Transfer)] = [:]
        var idle: [EasyHandle] = []
        var idleConnections = 0
        while true {
            let (submitted, stopping, wantedConnections) = inbox.withLock { inbox in
                defer { inbox.submitted.removeAll() }
                return (inbox.submitted, inbox.stopping, inbox.idleConnections)
            }
            if wantedConnections != idleConnections {
                idleConnections = wantedConnections
                _ = outcomed_multi_setopt_long(multi, CURLMOPT_MAXCONNECTS, idleConnections)
            }
            for transfer in submitted {
                if stopping || transfer.isCancelled {
                    transfer.finish(.failure(CancellationError()))
                    continue
                }
                guard let easy = idle.popLast() ?? EasyHandle() else {
                    transfer.finish(.failure(TransportError(code: -1, message: "curl_easy_init failed", isTimeout: false)))
                    continue
                }
                transfer.configure(easy)
                curl_multi_add_handle(multi, easy.pointer)
                running[easy.pointer] = (easy, transfer)
            }
            for (pointer, entry) in running where stopping || entry.transfer.isCancelled {
                curl_multi_remove_handle(multi, pointer)
                running[pointer] = nil
                idle.append(entry.easy)
                entry.transfer.finish(.failure(CancellationError()))
            }
            if stopping && running.isEmpty { break }

            var active: Int32 = 0
            curl_multi_perform(multi, &active)
            var remaining: Int32 = 0
            while let message = curl_multi_info_read(multi, &remaining) {
                guard message.pointee.msg == CURLMSG_DONE, let pointer = message.pointee.easy_handle else { continue }
                let code = message.pointee.data.result
                curl_multi_remove_handle(multi, pointer)
                guard let entry = running.removeValue(forKey: pointer) else { continue }
                idle.append(entry.easy)
                entry.transfer.complete(easy: entry.easy, code: code)
            }
            var ready: Int32 = 0
            curl_multi_poll(multi, nil, 0, running.isEmpty ? 1000 : 100, &ready)
        }
        idle.removeAll()
        curl_multi_cleanup(multi)
    }
}

/// The multi handle. Only `curl_multi_wakeup`, which libcurl documents as thread-safe, is
/// called from other threads; everything else runs on the client's own thread.
struct MultiHandle: @unchecked Sendable {
    let pointer: UnsafeMutableRawPointer
}
