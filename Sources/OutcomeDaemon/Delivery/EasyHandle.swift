import CCurl

/// One libcurl easy handle, reused across requests on the client's thread, with the error
/// buffer libcurl writes into: allocated for as long as the handle lives, so libcurl never
/// holds a pointer into memory Swift may move or free.
final class EasyHandle {
    let pointer: UnsafeMutableRawPointer
    private let errorBuffer: UnsafeMutablePointer<CChar>
    private static let errorBufferSize = Int(CURL_ERROR_SIZE) + 1

    init?() {
        guard let pointer = curl_easy_init() else { return nil }
        self.pointer = pointer
        errorBuffer = .allocate(capacity: Self.errorBufferSize)
        errorBuffer.initialize(repeating: 0, count: Self.errorBufferSize)
        _ = outcomed_easy_setopt_pointer(pointer, CURLOPT_ERRORBUFFER, errorBuffer)
    }

    deinit {
        curl_easy_cleanup(pointer)
        errorBuffer.deinitialize(count: Self.errorBufferSize)
        errorBuffer.deallocate()
    }

    /// libcurl's explanation of the last failure on this handle, or "" when it wrote none.
    var errorMessage: String {
        String(cString: errorBuffer)
    }

    /// Forgets the last failure's explanation before the handle is used again.
    func clearError() {
        errorBuffer[0] = 0
    }
}
