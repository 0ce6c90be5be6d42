import OutcomeEngine
import Synchronization

/// The parts of the config that a reload swaps while serving: rules, body limit and sender auth.
public struct LiveConfig: Sendable {
    /// The compiled rules.
    public var rules: RuleSet
    /// The largest accepted body.
    public var maxBody: Int
    /// Sender authentication, with secrets resolved.
    public var authenticator: SenderAuthenticator

    /// Creates a live config.
    public init(rules: RuleSet, maxBody: Int, authenticator: SenderAuthenticator) {
        self.rules = rules
        self.maxBody = maxBody
        self.authenticator = authenticator
    }
}

/// Holds the live config; readers get a consistent snapshot, a reload replaces it whole.
public final class LiveConfigHolder: Sendable {
    private let value: Mutex<LiveConfig>

    /// Creates a holder.
    public init(_ config: LiveConfig) {
        value = Mutex(config)
    }

    /// The current snapshot.
    public var current: LiveConfig { value.withLock { $0 } }

    /// Replaces the snapshot.
    public func replace(_ config: LiveConfig) {
        value.withLock { $0 = config }
    }
}
