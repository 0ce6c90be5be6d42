import CCurl
import Logging
import Synchronization

/// One request in progress. Once submitted, only the client's thread touches it, except for
/// `cancel()` (an atomic flag) and `finish` by whoever withdrew it from the inbox under the lock.
final class Transfer: @unchecked Sendable {
    let request: CurlClient.Request
    let timeout: Duration
    let logger: Logger
    var continuation: CheckedContinuation<UpstreamResponse, Error>?
    var body: [UInt8] = []
    var retryAfter: String?
    var headers: UnsafeMutablePointer<curl_slist>?
    let started = ContinuousClock.now
    let bodyLimit: Int
    private let cancelled = Atomic<Bool>(false)

    init(request: CurlClient.Request, timeout: Duration, bodyLimit: Int, logger: Logger) {
        self.request = request
        self.timeout = timeout
        self.bodyLimit = bodyLimit
        self.logger = logger
    }

    deinit {
        curl_slist_free_all(headers)
    }

    var isCancelled: Bool { cancelled.load(ordering: .acquiring) }

    func cancel() {
        cancelled.store(true, ordering: .releasing)
    }

    func configure(_ easy: EasyHandle) {
        let handle = easy.pointer
        let context = Unmanaged.passUnretained(self).toOpaque()
        for line in request.headers + ["Expect:"] {
            headers = curl_slist_append(headers, line)
        }
        easy.clearError()
        _ = outcomed_easy_setopt_string(handle, CURLOPT_URL, request.url)
        _ = outcomed_easy_setopt_string(handle, CURLOPT_CUSTOMREQUEST, request.method)
        _ = outcomed_easy_setopt_long(handle, CURLOPT_POSTFIELDSIZE, request.body.count)
        request.body.withUnsafeBufferPointer { buffer in
            _ = outcomed_easy_setopt_pointer(handle, CURLOPT_COPYPOSTFIELDS, UnsafeMutableRawPointer(mutating: buffer.baseAddress ?? UnsafePointer(bitPattern: 1)))
        }
        _ = outcomed_easy_setopt_slist(handle, CURLOPT_HTTPHEADER, headers)
        _ = outcomed_easy_setopt_long(handle, CURLOPT_TIMEOUT_MS, Int(timeout.milliseconds))
        _ = outcomed_easy_setopt_long(handle, CURLOPT_CONNECTTIMEOUT_MS, Int(timeout.milliseconds))
        _ = outcomed_easy_setopt_long(handle, CURLOPT_NOSIGNAL, 1)
        _ = outcomed_easy_setopt_long(handle, CURLOPT_TCP_KEEPALIVE, 1)
        _ = outcomed_easy_setopt_long(handle, CURLOPT_FOLLOWLOCATION, 0)
        _ = outcomed_easy_setopt_callback(handle, CURLOPT_WRITEFUNCTION, Transfer.onBody)
        _ = outcomed_easy_setopt_pointer(handle, CURLOPT_WRITEDATA, context)
        _ = outcomed_easy_setopt_callback(handle, CURLOPT_HEADERFUNCTION, Transfer.onHeader)
        _ = outcomed_easy_setopt_pointer(handle, CURLOPT_HEADERDATA, context)
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

    func complete(easy: EasyHandle, code: CURLcode) {
        guard code == CURLE_OK else {
            let detail = easy.errorMessage
            let message = detail.isEmpty ? String(cString: curl_easy_strerror(code)) : detail
            logger.debug("request failed", metadata: ["url": "\(request.url)", "error": "\(message)"])
            finish(.failure(TransportError(code: Int(code.rawValue), message: message, isTimeout: code == CURLE_OPERATION_TIMEDOUT)))
            return
        }
        var status = 0
        _ = outcomed_easy_getinfo_long(easy.pointer, CURLINFO_RESPONSE_CODE, &status)
        finish(.success(UpstreamResponse(status: status, retryAfter: retryAfter, body: body, duration: ContinuousClock.now - started)))
    }

    func finish(_ result: Result<UpstreamResponse, Error>) {
        continuation?.resume(with: result)
        continuation = nil
    }
}
