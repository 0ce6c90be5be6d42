import Foundation

/// Clears the way for the intake's unix socket, and nothing else: only a stale socket is
/// removed. A regular file (the store, say) or a socket that something still answers on is
/// refused, so a misconfigured `listen` can neither delete data nor take over another
/// instance's socket.
public enum UnixSocketPath {
    /// Removes a stale socket at `path`; throws when the path holds anything else or is in use.
    public static func prepare(_ path: String) throws(ListenError) {
        let address = "unix:\(path)"
        var status = stat()
        guard lstat(path, &status) == 0 else {
            if errno == ENOENT { return }
            throw ListenError(address: address, reason: "cannot inspect the path: \(String(cString: strerror(errno)))")
        }
        guard status.st_mode & S_IFMT == S_IFSOCK else {
            throw ListenError(address: address, reason: "the path exists and is not a socket; refusing to replace it")
        }
        if isAnswering(path) {
            throw ListenError(address: address, reason: "another process is listening on this socket (a second outcomed serve?)")
        }
        guard unlink(path) == 0 || errno == ENOENT else {
            throw ListenError(address: address, reason: "cannot remove the stale socket: \(String(cString: strerror(errno)))")
        }
    }

    /// Whether a connection to the socket at `path` is accepted.
    static func isAnswering(_ path: String) -> Bool {
        let descriptor = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard descriptor >= 0 else { return false }
        defer { close(descriptor) }
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        let bytes = Array(path.utf8)
        guard bytes.count < MemoryLayout.size(ofValue: address.sun_path) else { return false }
        withUnsafeMutableBytes(of: &address.sun_path) { $0.copyBytes(from: bytes) }
        let connected = withUnsafePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(descriptor, $0, socklen_t(MemoryLayout<sockaddr_un>.size)) }
        }
        return connected == 0
    }
}
