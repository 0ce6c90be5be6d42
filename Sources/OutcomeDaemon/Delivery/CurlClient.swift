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

        /// Creates a request.
        public init(method: String, url: String, headers: [String], body: [UInt8]) {
            self.method = method
            self.url = url
            self.headers = headers
            self.body = body
        }
    }

    /// Runs `curl_global_init` once per process; `main` calls it first, before any thread starts.
    public static let globalInit: Void = {
        curl_global_init(Int(CURL_GLOBAL_DEFAULT))
    }()

    private let timeout: Duration
    private let maxBodyBytes: Int
    private let logger: Logger
    private let inbox = Mutex(Inbox())
    private let handle: MultiHandle
    private var multi: UnsafeMutableRawPointer { handle.pointer }
    private let stopped = DispatchSemaphore(value: 0)

    struct Inbox: ~Copyable {
        var submitted: [Transfer] = []
        var cancelled: Set<ObjectIdentifier> = []
        var stopping = false
    }

    /// Creates a client and starts its thread. At least `maxConnections` idle connections are
    /// kept for reuse (callers bound how many requests run at once, so a reload can raise it),
    /// and at most `maxBodyBytes` of each answer's body are kept.
    public init(timeout: Duration, maxConnections: Int, maxBodyBytes: Int = 64 * 1024, logger: Logger) {
        _ = Self.globalInit
        self.timeout = timeout
        self.maxBodyBytes = maxBodyBytes
        self.logger = logger
        handle = MultiHandle(pointer: curl_multi_init())
        _ = outcomed_multi_setopt_long(multi, CURLMOPT_MAXCONNECTS, max(64, maxConnections * 2))
        let loop = Thread { [self] in
            self.run()
            self.stopped.signal()
        }
        loop.name = "outcomed-curl"
        loop.start()
    }

    /// Sends a request; throws `TransportError` when no HTTP answer came, and
    /// `CancellationError` when the task was cancelled.
    public func send(_ request: Request) async throws -> UpstreamResponse {
        let transfer = Transfer(request: request, bodyLimit: maxBodyBytes, logger: logger)
        return try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { continuation in
                transfer.continuation = continuation
                let accepted = inbox.withLock { inbox in
                    guard !inbox.stopping else { return false }
                    inbox.submitted.append(transfer)
                    return true
                }
                if accepted {
                    curl_multi_wakeup(multi)
                } else {
                    continuation.resume(throwing: CancellationError())
                }
            }
        } onCancel: {
            inbox.withLock { _ = $0.cancelled.insert(ObjectIdentifier(transfer)) }
            curl_multi_wakeup(multi)
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
        var running: [UnsafeMutableRawPointer: Transfer] = [:]
        var idle: [UnsafeMutableRawPointer] = []
        while true {
            let (submitted, cancelled, stopping) = inbox.withLock { inbox in
                defer {
                    inbox.submitted.removeAll()
                    inbox.cancelled.removeAll()
                }
                return (inbox.submitted, inbox.cancelled, inbox.stopping)
            }
            for transfer in submitted {
                if cancelled.contains(ObjectIdentifier(transfer)) || stopping {
                    transfer.finish(.failure(CancellationError()))
                    continue
                }
                let easy = idle.popLast() ?? curl_easy_init()
                guard let easy else {
                    transfer.finish(.failure(TransportError(code: -1, message: "curl_easy_init failed", isTimeout: false)))
                    continue
                }
                transfer.configure(easy, timeout: timeout)
                curl_multi_add_handle(multi, easy)
                running[easy] = transfer
            }
            for (easy, transfer) in running where stopping || cancelled.contains(ObjectIdentifier(transfer)) {
                curl_multi_remove_handle(multi, easy)
                running[easy] = nil
                idle.append(easy)
                transfer.finish(.failure(CancellationError()))
            }
            if stopping && running.isEmpty { break }

            var active: Int32 = 0
            curl_multi_perform(multi, &active)
            var remaining: Int32 = 0
            while let message = curl_multi_info_read(multi, &remaining) {
                guard message.pointee.msg == CURLMSG_DONE, let easy = message.pointee.easy_handle else { continue }
                let code = message.pointee.data.result
                curl_multi_remove_handle(multi, easy)
                idle.append(easy)
                guard let transfer = running.removeValue(forKey: easy) else { continue }
                transfer.complete(easy: easy, code: code)
            }
            var ready: Int32 = 0
            curl_multi_poll(multi, nil, 0, running.isEmpty ? 1000 : 100, &ready)
        }
        for easy in idle { curl_easy_cleanup(easy) }
        curl_multi_cleanup(multi)
    }
}

/// The multi handle. Only `curl_multi_wakeup`, which libcurl documents as thread-safe, is
/// called from other threads; everything else runs on the client's own thread.
struct MultiHandle: @unchecked Sendable {
    let pointer: UnsafeMutableRawPointer
}

/// One request in progress; touched only by the client's thread once submitted.
final class Transfer: @unchecked Sendable {
    let request: CurlClient.Request
    let logger: Logger
    var continuation: CheckedContinuation<UpstreamResponse, Error>?
    var body: [UInt8] = []
    var retryAfter: String?
    var headers: UnsafeMutablePointer<curl_slist>?
    var errorBuffer = [CChar](repeating: 0, count: Int(CURL_ERROR_SIZE) + 1)
    let started = ContinuousClock.now
    let bodyLimit: Int

    init(request: CurlClient.Request, bodyLimit: Int, logger: Logger) {
        self.request = request
        self.bodyLimit = bodyLimit
        self.logger = logger
    }

    deinit {
        curl_slist_free_all(headers)
    }

    func configure(_ easy: UnsafeMutableRawPointer, timeout: Duration) {
        let context = Unmanaged.passUnretained(self).toOpaque()
        for line in request.headers + ["Expect:"] {
            headers = curl_slist_append(headers, line)
        }
        _ = outcomed_easy_setopt_string(easy, CURLOPT_URL, request.url)
        _ = outcomed_easy_setopt_string(easy, CURLOPT_CUSTOMREQUEST, request.method)
        _ = outcomed_easy_setopt_long(easy, CURLOPT_POSTFIELDSIZE, request.body.count)
        request.body.withUnsafeBufferPointer { buffer in
            _ = outcomed_easy_setopt_pointer(easy, CURLOPT_COPYPOSTFIELDS, UnsafeMutableRawPointer(mutating: buffer.baseAddress ?? UnsafePointer(bitPattern: 1)))
        }
        _ = outcomed_easy_setopt_slist(easy, CURLOPT_HTTPHEADER, headers)
        _ = outcomed_easy_setopt_long(easy, CURLOPT_TIMEOUT_MS, Int(timeout.milliseconds))
        _ = outcomed_easy_setopt_long(easy, CURLOPT_CONNECTTIMEOUT_MS, Int(timeout.milliseconds))
        _ = outcomed_easy_setopt_long(easy, CURLOPT_NOSIGNAL, 1)
        _ = outcomed_easy_setopt_long(easy, CURLOPT_TCP_KEEPALIVE, 1)
        _ = outcomed_easy_setopt_long(easy, CURLOPT_FOLLOWLOCATION, 0)
        _ = outcomed_easy_setopt_callback(easy, CURLOPT_WRITEFUNCTION, Transfer.onBody)
        _ = outcomed_easy_setopt_pointer(easy, CURLOPT_WRITEDATA, context)
        _ = outcomed_easy_setopt_callback(easy, CURLOPT_HEADERFUNCTION, Transfer.onHeader)
        _ = outcomed_easy_setopt_pointer(easy, CURLOPT_HEADERDATA, context)
        errorBuffer.withUnsafeMutableBufferPointer { buffer in
            _ = outcomed_easy_setopt_pointer(easy, CURLOPT_ERRORBUFFER, buffer.baseAddress)
        }
    }

    static let onBody: outcomed_data_callback = { data, size, count, context in
        guard let data, let context else { return 0 }
        let transfer = Unmanaged<Transfer>.fromOpaque(context).takeUnretainedValue()
        let length = size * count
        let room = max(0, transfer.bodyLimit - transfer.body.count)
        if room > 0 {
            data.withMemoryRebound(to: UInt8.self, capacity: length) { bytes in
                transfer.body.append(contentsOf: UnsafeBufferPointer(start: bytes, count: min(room, length)))
            }
        }
        return length
    }

    static let onHeader: outcomed_data_callback = { data, size, count, context in
        guard let data, let context else { return 0 }
        let transfer = Unmanaged<Transfer>.fromOpaque(context).takeUnretainedValue()
        let length = size * count
        let line = data.withMemoryRebound(to: UInt8.self, capacity: length) { bytes in
            String(decoding: UnsafeBufferPointer(start: bytes, count: length), as: UTF8.self)
        }
        if line.hasPrefix("HTTP/") {
            transfer.retryAfter = nil
        } else if let colon = line.firstIndex(of: ":"), line[..<colon].lowercased() == "retry-after" {
            transfer.retryAfter = line[line.index(after: colon)...].trimmingCharacters(in: .whitespacesAndNewlines)
        }
        return length
    }

    func complete(easy: UnsafeMutableRawPointer, code: CURLcode) {
        guard code == CURLE_OK else {
            let detail = String(decoding: errorBuffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
            let message = detail.isEmpty ? String(cString: curl_easy_strerror(code)) : detail
            logger.debug("request failed", metadata: ["url": "\(request.url)", "error": "\(message)"])
            finish(.failure(TransportError(code: Int(code.rawValue), message: message, isTimeout: code == CURLE_OPERATION_TIMEDOUT)))
            return
        }
        var status = 0
        _ = outcomed_easy_getinfo_long(easy, CURLINFO_RESPONSE_CODE, &status)
        finish(.success(UpstreamResponse(status: status, retryAfter: retryAfter, body: body, duration: ContinuousClock.now - started)))
    }

    func finish(_ result: Result<UpstreamResponse, Error>) {
        continuation?.resume(with: result)
        continuation = nil
    }
}
