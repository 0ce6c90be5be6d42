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
        try forEachBatch(limit: 1) { lines in
            for (line, number) in lines { try body(line, number) }
        }
    }

    /// Calls `body` with the non-blank lines in batches of at most `limit`, each line with its
    /// 1-based number; the lines point into the reader's buffer and are valid during the call only.
    func forEachBatch(limit: Int, _ body: ([(line: UnsafeBufferPointer<UInt8>, number: Int)]) throws -> Void) throws {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { throw EventFileError.unreadable(path: path) }
        defer { close(descriptor) }
        var buffer = [UInt8](repeating: 0, count: chunkSize)
        var filled = 0
        var lineNumber = 0
        var atEnd = false
        var batch: [(line: UnsafeBufferPointer<UInt8>, number: Int)] = []
        batch.reserveCapacity(max(1, limit))
        func add(_ line: UnsafeBufferPointer<UInt8>) throws {
            lineNumber += 1
            guard line.contains(where: { $0 != 0x20 && $0 != 0x09 && $0 != 0x0D }) else { return }
            batch.append((line, lineNumber))
            if batch.count >= limit {
                try body(batch)
                batch.removeAll(keepingCapacity: true)
            }
        }
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
                guard let base = all.baseAddress else { return 0 }
                var start = 0
                while start < filled, let newline = memchr(base + start, 0x0A, filled - start) {
                    let end = base.distance(to: newline.assumingMemoryBound(to: UInt8.self))
                    try add(UnsafeBufferPointer(rebasing: all[start..<end]))
                    start = end + 1
                }
                if atEnd, start < filled {
                    try add(UnsafeBufferPointer(rebasing: all[start..<filled]))
                    start = filled
                }
                // The lines point into this buffer, which moves next.
                if !batch.isEmpty {
                    try body(batch)
                    batch.removeAll(keepingCapacity: true)
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
}
