import Synchronization

/// Set once the server listens and the store is open (when `READY=1` goes to systemd).
public final class ReadyFlag: Sendable {
    private let flag = Atomic<Bool>(false)

    /// Creates an unset flag.
    public init() {}

    /// Whether it is set.
    public var isSet: Bool { flag.load(ordering: .acquiring) }

    /// Sets it.
    public func set() { flag.store(true, ordering: .releasing) }
}
