/// What the delivery loop does next, as a pure value: when to claim and how many, when to
/// heartbeat, prune, and wake, and when a shutdown has drained. It holds the circuit breaker,
/// the rate limit's token bucket, and the attempts in flight; the worker does the I/O each
/// action names and reports back. Times are Unix milliseconds, passed in, so tests drive it
/// with a fake clock.
///
/// One round: `beginRound`, the worker's `finished` for each attempt that ended, then `next()`
/// until it returns `.wait`, `.continueNow` or `.stop`, answering each I/O action on the way.
///
/// A round claims only when a job may be due: intake queued one (`notified`), the last claim
/// was full, the store's next due time has come, or a heartbeat second passed (jobs another
/// process made due). Results of a round that claims nothing wait up to `resultDelay` for the
/// next claim, so a burst of PATCHes costs one store write, not one each.
struct DeliveryScheduler: Sendable {
    /// One step for the worker.
    enum Action: Sendable, Equatable {
        /// Tell the store this instance is alive; answer with `heartbeatAnswered`.
        case heartbeat
        /// Remove done jobs and events older than the cutoff.
        case prune(olderThan: Int64)
        /// Record these results and claim jobs, in one store call; answer with `settled`.
        case settle(results: [JobResult], claim: Claim?)
        /// The drain timeout passed: interrupt the attempts still in flight.
        case cancelTransfers
        /// Go round again at once: the last claim was full and there is room for more.
        case continueNow
        /// Sleep until this time or a wake-up.
        case wait(until: Int64)
        /// Shutdown has drained; the loop ends.
        case stop
    }

    /// A claim to make.
    struct Claim: Sendable, Equatable {
        /// At most this many jobs.
        var limit: Int
        /// The lease's end: it outlives a wait for a slot and the transfer's own timeout, so it
        /// never ends mid-PATCH.
        var leaseUntil: Int64
        /// Whether this is the circuit breaker's single probe.
        var probe: Bool
    }

    /// Time between heartbeats.
    static let heartbeatInterval: Int64 = 1000
    /// Time between prunes.
    static let pruneInterval: Int64 = 600_000
    /// The longest sleep without a wake-up, and the pause after a store failure.
    static let idleWait: Int64 = 1000
    /// Failed settles in a row that stop claims until results can be recorded again.
    static let storeFailureLimit = 3
    /// How long results may wait to be recorded with a claim; their jobs stay leased meanwhile.
    static let resultDelay: Int64 = 20

    private(set) var breaker: CircuitBreaker
    private var bucket: TokenBucket
    private var concurrency: Int
    private var rateLimit: Double
    /// A lease's length, for claims and handed-off jobs alike.
    private(set) var leaseMillis: Int64
    private var retentionMillis: Int64
    private let drainMillis: Int64
    /// api.rate_limit is the total across instances (SPEC §10): this one takes its share.
    private(set) var instances = 1
    private(set) var inFlight = 0
    /// Jobs in flight that intake handed over rather than a claim.
    private(set) var handedInFlight = 0
    /// Jobs that intake may still hand over (`DeliveryHandoff.outstanding`).
    private var promisedToIntake = 0
    private var probing = false
    private var uncommitted: [JobResult] = []
    /// When the oldest of `uncommitted` was reported.
    private var oldestResult: Int64?
    /// Whether a claim may find a job; false after a claim that found fewer than it asked for.
    private var mayFindDue = true
    /// When the store said the next pending job is due, after a claim that was not full.
    private var storeDueAt: Int64?
    private var storeFailures = 0
    private var lastBeat: Int64?
    private var lastPrune: Int64?
    private var drainDeadline: Int64?
    private var transfersCancelled = false

    // The round in progress.
    private var now: Int64 = 0
    private var stopping = false
    private var step = Step.heartbeat
    private var wakeAt: Int64 = 0

    private enum Step: Sendable, Equatable {
        case heartbeat, prune, settle, awaitingSettle(Claim?), afterFullClaim, done
    }

    /// Creates a scheduler for these settings; `drainTimeout` bounds a shutdown's wait for
    /// attempts in flight.
    init(settings: DeliverySettings, drainTimeout: Duration) {
        breaker = CircuitBreaker(maxPause: settings.retry.maxDelay)
        bucket = TokenBucket(rate: settings.rateLimit)
        concurrency = settings.concurrency
        rateLimit = settings.rateLimit
        leaseMillis = Self.leaseMillis(settings)
        retentionMillis = settings.retention.milliseconds
        drainMillis = drainTimeout.milliseconds
    }

    /// Whether delivery is paused by the circuit breaker.
    var isCircuitOpen: Bool { breaker.isOpen }

    /// Results waiting to be recorded.
    var unrecorded: Int { uncommitted.count }

    /// Starts a round at `now` under the latest settings (a reload changes them between rounds);
    /// `notified` says that jobs were queued or settings changed since the last round.
    mutating func beginRound(now: Int64, settings: DeliverySettings, stopping: Bool, notified: Bool = false) {
        self.now = now
        self.stopping = stopping
        step = .heartbeat
        wakeAt = now + Self.idleWait
        if notified { mayFindDue = true }
        if let due = storeDueAt {
            if now >= due {
                mayFindDue = true
                storeDueAt = nil
            } else {
                wakeAt = min(wakeAt, due)
            }
        }
        // Jobs that another process made due are found by the heartbeat's claim, a second apart
        // (when one is due now, this round makes it, and sleeps a second at most anyway).
        if let lastBeat, !stopping, lastBeat + Self.heartbeatInterval > now { wakeAt = min(wakeAt, lastBeat + Self.heartbeatInterval) }
        if settings.rateLimit != rateLimit {
            rateLimit = settings.rateLimit
            bucket = bucket.withRate(rateLimit / Double(instances), now: now)
        }
        if settings.retry.maxDelay != breaker.maxPause {
            breaker = CircuitBreaker(maxPause: settings.retry.maxDelay)
        }
        concurrency = settings.concurrency
        leaseMillis = Self.leaseMillis(settings)
        retentionMillis = settings.retention.milliseconds
    }

    /// Jobs claimed or handed over and not yet finished, per PATCH slot: each slot has its next
    /// jobs in hand when a PATCH ends, so a round (one store transaction) need not come between
    /// two PATCHes; and intake's commits still find room while a round catches up with the
    /// PATCHes that ended during its store call.
    static let jobsPerSlot = 8

    /// A claimed job waits for at most `jobsPerSlot - 1` PATCHes of its lane before its own.
    static func leaseMillis(_ settings: DeliverySettings) -> Int64 {
        Int64(jobsPerSlot) * settings.timeout.milliseconds + 5000
    }

    /// Jobs claimed and not yet finished.
    var claimWindow: Int { Self.jobsPerSlot * concurrency }

    /// How many of intake's new jobs may go straight in flight for this instance after this
    /// round (`DeliveryHandoff`), besides those its commits still hold room for: the room left in
    /// the claim window. While a claim may find jobs due (retries, a backlog, jobs queued
    /// elsewhere), intake's jobs, in flight and held, take at most half of the window, so that
    /// claims always have the other half; while none may, the whole window. Only while the
    /// circuit is closed and the store answers; none under a rate limit, whose tokens only
    /// claims take, nor at shutdown.
    var handoffRoom: Int {
        guard mayHandOff else { return 0 }
        let share = mayFindDue ? claimWindow / 2 : claimWindow
        return max(0, min(share - handedInFlight, claimWindow - inFlight))
    }

    /// Whether a handed-over job that is delivered gives its room back to intake at once, before
    /// the next round: only while intake may use the whole window. Otherwise its room comes back
    /// through the next round's offer, which keeps claims their half.
    var releasesHandoffRoom: Bool { mayHandOff && !mayFindDue }

    private var mayHandOff: Bool {
        !stopping && !probing && !breaker.isOpen && rateLimit <= 0 && storeFailures == 0
    }

    /// Intake put `count` jobs in flight for this instance: they count as claimed.
    mutating func adopted(_ count: Int) {
        inFlight += count
        handedInFlight += count
    }

    /// Intake may still hand over up to `count` jobs: the round's claims leave room for them, so
    /// the two together stay within the window.
    mutating func promised(toIntake count: Int) {
        promisedToIntake = max(0, count)
    }

    /// An attempt ended with this result (it is recorded at the next settle); `handedOff` says
    /// the job came from intake's handoff.
    mutating func finished(_ result: JobResult, probe: Bool, handedOff: Bool = false) {
        inFlight -= 1
        if handedOff { handedInFlight -= 1 }
        if probe { probing = false }
        uncommitted.append(result)
        oldestResult = oldestResult ?? now
    }

    /// The upstream answered well; returns a transition to log.
    mutating func recordSuccess() -> CircuitBreaker.Transition? { breaker.recordSuccess() }

    /// A retryable failure; returns a transition to log.
    mutating func recordFailure() -> CircuitBreaker.Transition? { breaker.recordFailure(now: now) }

    /// The upstream refused the token; returns a transition to log.
    mutating func recordUnauthorized() -> CircuitBreaker.Transition? { breaker.recordUnauthorized(now: now) }

    /// The store's count of live instances, or nil if the heartbeat failed (the share stays).
    mutating func heartbeatAnswered(live: Int?) {
        guard let live, max(1, live) != instances else { return }
        instances = max(1, live)
        bucket = bucket.withRate(rateLimit / Double(instances), now: now)
    }

    /// The settle named `claimed` jobs and when the next pending job is due, or failed (nil):
    /// then its results stay for the next round and stay in flight meanwhile, so nothing else
    /// claims them.
    mutating func settled(claimed: Int?, nextDue: Int64?) {
        guard case .awaitingSettle(let claim) = step else { return }
        guard let claimed else {
            storeFailures += 1
            if let claim { bucket.giveBack(claim.limit) }
            wakeAt = now + Self.idleWait
            step = .done
            return
        }
        storeFailures = 0
        let recordedResults = !uncommitted.isEmpty
        uncommitted.removeAll()
        oldestResult = nil
        step = .done
        if let claim {
            inFlight += claimed
            bucket.giveBack(claim.limit - claimed)
            if claim.probe && claimed > 0 {
                breaker.startProbe()
                probing = true
            }
            if claimed == claim.limit {
                // Every token found a job: more may be due at once.
                mayFindDue = true
                step = .afterFullClaim
                return
            }
            mayFindDue = false
        }
        guard let nextDue else { return }
        if nextDue > now {
            wakeAt = min(wakeAt, nextDue)
            storeDueAt = min(storeDueAt ?? nextDue, nextDue)
        } else {
            // Due and not claimed: no claim was made, or the job waits for one of its call in
            // flight, which the results just recorded may have ended unseen by the claim beside
            // them. The next round claims, at once if it may now find it.
            mayFindDue = true
            if recordedResults || claim == nil { wakeAt = now }
        }
    }

    /// The next step of this round.
    mutating func next() -> Action {
        while true {
            switch step {
            case .heartbeat:
                step = stopping ? .settle : .prune
                if lastBeat.map({ now - $0 >= Self.heartbeatInterval }) ?? true {
                    lastBeat = now
                    mayFindDue = true
                    return .heartbeat
                }
            case .prune:
                step = .settle
                if lastPrune.map({ now - $0 > Self.pruneInterval }) ?? true {
                    lastPrune = now
                    return .prune(olderThan: now - retentionMillis)
                }
            case .settle:
                let claim = stopping || !mayFindDue ? nil : makeClaim()
                if claim == nil, !stopping, storeFailures == 0, let oldest = oldestResult, now - oldest < Self.resultDelay {
                    wakeAt = min(wakeAt, oldest + Self.resultDelay)
                    step = .done
                    continue
                }
                if uncommitted.isEmpty && claim == nil {
                    step = .done
                    continue
                }
                step = .awaitingSettle(claim)
                return .settle(results: uncommitted, claim: claim)
            case .awaitingSettle:
                // The worker did not answer the settle: treat it as failed.
                settled(claimed: nil, nextDue: nil)
            case .afterFullClaim:
                step = .done
                if inFlight + promisedToIntake < claimWindow && !probing { return .continueNow }
            case .done:
                return stopping ? drain() : .wait(until: wakeAt)
            }
        }
    }

    /// What to claim now, taking the tokens for it; nil when nothing may start.
    private mutating func makeClaim() -> Claim? {
        let free = claimWindow - inFlight - promisedToIntake
        // While every slot has jobs waiting behind its PATCH, a claim waits for a slot's worth
        // of room: a backlog then costs a round per `concurrency` PATCHes, not one per PATCH.
        guard free > 0, inFlight <= concurrency || free >= concurrency, !probing else { return nil }
        guard storeFailures < Self.storeFailureLimit || uncommitted.isEmpty else { return nil }
        let permit = breaker.permit(now: now)
        switch permit {
        case .wait(let until):
            wakeAt = min(wakeAt, until)
            return nil
        case .proceed, .probe:
            let tokens = bucket.take(permit == .probe ? 1 : free, now: now)
            guard tokens > 0 else {
                wakeAt = min(wakeAt, bucket.nextTokenAt(now: now))
                return nil
            }
            return Claim(limit: tokens, leaseUntil: now + leaseMillis, probe: permit == .probe)
        }
    }

    private mutating func drain() -> Action {
        if inFlight == 0 && (uncommitted.isEmpty || storeFailures >= Self.storeFailureLimit) { return .stop }
        let deadline = drainDeadline ?? now + drainMillis
        drainDeadline = deadline
        if now >= deadline && !transfersCancelled {
            transfersCancelled = true
            return .cancelTransfers
        }
        return .wait(until: max(now + 1, min(deadline, now + Self.idleWait)))
    }
}
