import Foundation
import GRDB
import PostgresNIO
import Synchronization

/// What readiness knows about the store without writing to it: how the last real commit went,
/// and whether the file at the store's path is still the one that was opened.
///
/// While commits succeed, a readiness probe costs a `stat` and no write. After a failed commit
/// the store counts as unwritable until a commit succeeds again; to notice recovery when no
/// traffic comes (a load balancer stops sending to an unready instance), a probe then tries a
/// write of about an event's size, at most once per `probeInterval`.
public final class StoreHealth: Sendable {
    private struct State {
        var failure: String?
        var lastProbe: ContinuousClock.Instant?
    }

    private struct FileIdentity: Equatable {
        var device: UInt64
        var inode: UInt64
    }

    /// The store's file; nil for a store that is not a file (PostgreSQL).
    public let path: String?
    /// The shortest time between two probe writes while the store is failing.
    public let probeInterval: Duration
    private let identity: FileIdentity?
    private let state = Mutex(State())

    /// Remembers which file `path` is now; call it right after the store is opened.
    public init(path: String?, probeInterval: Duration = .seconds(1)) {
        self.path = path
        self.probeInterval = probeInterval
        identity = path.flatMap(Self.identity(of:))
    }

    /// Why the store cannot take commits now, or nil when the last commit succeeded and the
    /// file is the one that was opened.
    public var problem: String? {
        if let replaced = fileProblem { return replaced }
        return state.withLock { $0.failure }
    }

    /// Whether the file at `path` is gone or another file, which would make every later commit
    /// vanish at the next restart.
    public var fileProblem: String? {
        guard let identity, let path else { return nil }
        guard let current = Self.identity(of: path) else {
            return "the store file \(path) was deleted while outcomed was running; restart outcomed"
        }
        return current == identity ? nil : "the store file \(path) was replaced while outcomed was running; restart outcomed"
    }

    /// Records how a commit went.
    public func record(_ result: Result<Void, any Error>) {
        state.withLock { state in
            switch result {
            case .success: state.failure = nil
            case .failure(let error): state.failure = Self.describe(error)
            }
        }
    }

    /// Whether the store takes commits: free while the last commit succeeded; otherwise
    /// `probe` (a real write) runs, at most once per `probeInterval`, and its result counts as
    /// a commit's.
    public func check(probe: () async -> Result<Void, any Error>) async -> String? {
        if let replaced = fileProblem { return replaced }
        let now = ContinuousClock.now
        let shouldProbe = state.withLock { state -> Bool in
            guard state.failure != nil else { return false }
            if let last = state.lastProbe, now - last < probeInterval { return false }
            state.lastProbe = now
            return true
        }
        if shouldProbe { record(await probe()) }
        return problem
    }

    /// An operator's account of a store error, without SQL or row data.
    public static func describe(_ error: any Error) -> String {
        if let error = error as? StoreError { return error.reason }
        if let error = error as? PSQLError { return PostgresErrorText.describe(error) }
        guard let error = error as? DatabaseError else { return "the store cannot be written" }
        switch error.resultCode {
        case .SQLITE_FULL: return "the disk that holds the store is full"
        case .SQLITE_BUSY, .SQLITE_LOCKED: return "the store is locked by another process"
        case .SQLITE_READONLY: return "the store is read-only"
        case .SQLITE_IOERR: return "the store had an I/O error"
        case .SQLITE_CANTOPEN: return "the store file cannot be opened"
        case .SQLITE_CORRUPT, .SQLITE_NOTADB: return "the store file is damaged"
        default: return "the store cannot be written (SQLite error \(error.resultCode.rawValue))"
        }
    }

    private static func identity(of path: String) -> FileIdentity? {
        var status = stat()
        guard stat(path, &status) == 0 else { return nil }
        return FileIdentity(device: UInt64(status.st_dev), inode: UInt64(status.st_ino))
    }
}
