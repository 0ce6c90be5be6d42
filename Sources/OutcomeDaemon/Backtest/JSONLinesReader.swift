#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Reads a file of JSON lines in large chunks and hands each non-blank line over in place,
/// without copying it: memory is one chunk (or the longest line), whatever the file's size.
struct JSONLinesReader {
    let path: String
    var chunkSize = 1 << 20

    /// Calls `body` with each line that is not blank and its 1-based number.
    func forEachLine(_ body: (UnsafeBufferPointer<UInt8>, Int) throws -> Void) throws {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { throw EventFileError.unreadable(path: path) }
        defer { close(descriptor) }
        var buffer = [UInt8](repeating: 0, count: chunkSize)
        var filled = 0
        var lineNumber = 0
        var atEnd = false
        while !atEnd {
            if filled == buffer.count { buffer += [UInt8](repeating: 0, count: buffer.count) }
            let count = buffer.withUnsafeMutableBytes { raw -> Int in
                guard let base = raw.baseAddress else { return -1 }
                return read(descriptor, base + filled, raw.count - filled)
            }
            if count < 0 {
                if errno == EINTR { continue }
                throw EventFileError.unreadable(path: path)
            }
            if count == 0 { atEnd = true }
            filled += count
            let consumed = try buffer.withUnsafeBufferPointer { all -> Int in
                var start = 0
                var index = 0
                while index < filled {
                    if all[index] == 0x0A {
                        lineNumber += 1
                        try Self.emit(UnsafeBufferPointer(rebasing: all[start..<index]), lineNumber, body)
                        start = index + 1
                    }
                    index += 1
                }
                if atEnd, start < filled {
                    lineNumber += 1
                    try Self.emit(UnsafeBufferPointer(rebasing: all[start..<filled]), lineNumber, body)
                    start = filled
                }
                return start
            }
            if consumed > 0 {
                buffer.withUnsafeMutableBufferPointer { all in
                    let rest = filled - consumed
                    if rest > 0, let base = all.baseAddress { memmove(base, base + consumed, rest) }
                }
                filled -= consumed
            }
        }
    }

    private static func emit(_ line: UnsafeBufferPointer<UInt8>, _ number: Int, _ body: (UnsafeBufferPointer<UInt8>, Int) throws -> Void) throws {
        guard line.contains(where: { $0 != 0x20 && $0 != 0x09 && $0 != 0x0D }) else { return }
        try body(line, number)
    }
}
