import Foundation

/// An exclusive claim on one SQLite store for the life of a `serve` process: a second `serve`
/// on the same file would deliver beside the first and, at its start, hand the first one's
/// in-flight jobs back to pending. Several instances are what the PostgreSQL store is for.
///
/// The lock is `flock` on `<store>.lock` (not on the database file: closing any descriptor of
/// that file would drop SQLite's own locks); the kernel releases it when the process dies.
public final class StoreLock: Sendable {
    /// The lock file.
    public let path: String
    private let descriptor: Int32

    /// Takes the lock, or throws naming the process that holds it.
    public init(storePath: String) throws(StoreError) {
        path = storePath + ".lock"
        let descriptor = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else {
            throw StoreError(path: storePath, reason: "cannot open the lock file \(path): \(String(cString: strerror(errno)))")
        }
        guard flock(descriptor, LOCK_EX | LOCK_NB) == 0 else {
            let holder = Self.readHolder(descriptor)
            close(descriptor)
            throw StoreError(
                path: storePath,
                reason: "another outcomed serve\(holder.map { " (pid \($0))" } ?? "") is using this store; one store file serves one instance (several instances share the PostgreSQL store)"
            )
        }
        let pid = Array("\(getpid())\n".utf8)
        _ = ftruncate(descriptor, 0)
        _ = pwrite(descriptor, pid, pid.count, 0)
        self.descriptor = descriptor
    }

    deinit {
        close(descriptor)
    }

    private static func readHolder(_ descriptor: Int32) -> String? {
        var buffer = [UInt8](repeating: 0, count: 32)
        let count = pread(descriptor, &buffer, buffer.count, 0)
        guard count > 0 else { return nil }
        let text = String(decoding: buffer[0..<count], as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        return text.isEmpty ? nil : text
    }
}
