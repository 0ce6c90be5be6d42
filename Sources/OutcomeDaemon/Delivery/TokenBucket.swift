/// Limits how many PATCHes start per second; a rate of 0 is unlimited. Times are Unix milliseconds.
public struct TokenBucket: Sendable, Hashable {
    /// Tokens added per second.
    public let rate: Double
    /// The most tokens held (the burst).
    public let capacity: Double
    private var tokens: Double
    private var updatedAt: Int64?

    /// Creates a full bucket.
    public init(rate: Double) {
        self.rate = rate
        capacity = max(1, rate)
        tokens = capacity
    }

    /// The same bucket at another rate, keeping the tokens it holds (up to the new capacity):
    /// a change of this instance's share of a shared limit is not a burst.
    public func withRate(_ newRate: Double, now: Int64) -> TokenBucket {
        var current = self
        if current.rate > 0 { current.refill(now: now) }
        var bucket = TokenBucket(rate: newRate)
        if rate > 0 {
            bucket.tokens = min(bucket.capacity, current.tokens)
            bucket.updatedAt = now
        }
        return bucket
    }

    /// Takes up to `wanted` tokens at `now`; returns how many were taken.
    public mutating func take(_ wanted: Int, now: Int64) -> Int {
        guard rate > 0 else { return wanted }
        refill(now: now)
        let taken = min(wanted, Int(tokens))
        tokens -= Double(taken)
        return taken
    }

    /// Returns tokens that were taken but not used.
    public mutating func giveBack(_ count: Int) {
        guard rate > 0, count > 0 else { return }
        tokens = min(capacity, tokens + Double(count))
    }

    /// When the next token is available, if none is now.
    public mutating func nextTokenAt(now: Int64) -> Int64 {
        guard rate > 0 else { return now }
        refill(now: now)
        if tokens >= 1 { return now }
        return now + Int64(((1 - tokens) / rate * 1000).rounded(.up))
    }

    private mutating func refill(now: Int64) {
        if let updatedAt, now > updatedAt {
            tokens = min(capacity, tokens + Double(now - updatedAt) / 1000 * rate)
        }
        updatedAt = max(updatedAt ?? now, now)
    }
}
