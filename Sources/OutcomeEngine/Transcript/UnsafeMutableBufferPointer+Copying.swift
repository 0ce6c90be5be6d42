extension UnsafeMutableBufferPointer {
    /// A new buffer holding a copy of `array`, for the matchers' fixed tables: read in the hot
    /// loop without the array's bounds and uniqueness checks; the owner deallocates it.
    static func copying(_ array: [Element]) -> UnsafeMutableBufferPointer<Element> {
        let buffer = UnsafeMutableBufferPointer<Element>.allocate(capacity: array.count)
        _ = buffer.initialize(from: array)
        return buffer
    }
}
