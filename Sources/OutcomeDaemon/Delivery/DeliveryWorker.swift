import Foundation
import Logging
import OutcomeEngine
import ServiceLifecycle
import Synchronization

/// Sends queued outcomes upstream: claims due jobs within `api.concurrency` and `api.rate_limit`,
/// classifies every answer (SPEC §4), backs off with jitter, and pauses on a failing or
/// unauthorised upstream. Time and randomness are injected so tests are deterministic.
public final class DeliveryWorker: Service, Sendable {
    /// What one attempt came to.
    enum Attempt: Sendable {
        case response(UpstreamResponse)
        case transport(TransportError)
        case cancelled
        case dryRun
    }

    struct Completion: Sendable {
        var job: Job
        var attempt: Attempt
        var probe: Bool
    }

    private let store: any QueueStore
    private let client: CurlClient
    private let logger: Logger
    private let settings: Mutex<DeliverySettings>
    private let now: @Sendable () -> Int64
    private let random: @Sendable () -> Double
    private let wakeup = Wakeup()
    private let completions = Mutex<[Completion]>([])
    private let heartbeat = Atomic<Int64>(0)
    private let circuitOpen = Atomic<Bool>(false)
    /// How long in-flight PATCHes get to finish at shutdown.
    public let drainTimeout: Duration
    /// This process's name on the leases it holds: host, pid and a random part, so a restarted
    /// process on the same host and pid is a different instance.
    public let instanceID: String

    /// Whether jobs left in flight are put back to pending at start: on the embedded store
    /// they can only be a previous process's; with shared storage, leases decide instead.
    let releasesInFlightAtStart: Bool

    /// Creates a worker; `now` gives Unix milliseconds, `random` a number in `0..<1`;
    /// `releasesInFlightAtStart` defaults to what the store says.
    public init(
        store: any QueueStore,
        client: CurlClient,
        settings: DeliverySettings,
        logger: Logger,
        drainTimeout: Duration = .seconds(10),
        releasesInFlightAtStart: Bool? = nil,
        now: @escaping @Sendable () -> Int64 = { WallClock.milliseconds() },
        random: @escaping @Sendable () -> Double = { Double.random(in: 0..<1) }
    ) {
        self.store = store
        self.client = client
        self.settings = Mutex(settings)
        self.logger = logger
        self.drainTimeout = drainTimeout
        self.now = now
        self.random = random
        self.releasesInFlightAtStart = releasesInFlightAtStart ?? store.recoversInFlightAtStart
        instanceID = Self.makeInstanceID()
    }

    static func makeInstanceID() -> String {
        var name = [CChar](repeating: 0, count: 256)
        let host = gethostname(&name, name.count) == 0 ? String(cString: name) : "localhost"
        return "\(host):\(getpid()):\(String(UInt32.random(in: .min ... .max), radix: 16))"
    }

    /// Tells the worker a job may be due now.
    public func notify() {
        wakeup.signal()
    }

    /// Replaces the settings (a reload); in-flight attempts finish under the old ones.
    public func update(_ newSettings: DeliverySettings) {
        settings.withLock { $0 = newSettings }
        client.keepConnections(for: newSettings.concurrency)
        wakeup.signal()
    }

    /// When the loop last went round, in Unix milliseconds (for the watchdog).
    public var lastHeartbeat: Int64 { heartbeat.load(ordering: .relaxed) }

    /// Whether delivery is paused by the circuit breaker.
    public var isCircuitOpen: Bool { circuitOpen.load(ordering: .relaxed) }

    public func run() async throws {
        let recovered = releasesInFlightAtStart ? try await store.recoverInFlight(now: now()) : 0
        if recovered > 0 {
            logger.notice("recovered in-flight jobs", metadata: ["event": "started", "recovered": "\(recovered)"])
        }
        let stopping = Atomic<Bool>(false)
        await withGracefulShutdownHandler {
            await withDiscardingTaskGroup { group in
                await loop(group: &group, stopping: stopping)
            }
        } onGracefulShutdown: {
            stopping.store(true, ordering: .relaxed)
            self.wakeup.signal()
        }
        _ = try? await store.releaseAllInFlight(now: now(), owner: instanceID)
    }

    private func loop(group: inout DiscardingTaskGroup, stopping: borrowing Atomic<Bool>) async {
        var current = settings.withLock { $0 }
        var breaker = CircuitBreaker(maxPause: current.retry.maxDelay)
        var bucket = TokenBucket(rate: current.rateLimit)
        // api.rate_limit is the total across instances (SPEC §10): this one takes its share.
        var instances = 1
        var lastBeat: Int64 = 0
        var inFlight = 0
        var probing = false
        var drainDeadline: Int64?
        var lastPrune: Int64 = 0
        var storeFailures = 0
        var uncommitted: [JobResult] = []

        while true {
            let time = now()
            heartbeat.store(time, ordering: .relaxed)
            let latest = settings.withLock { $0 }
            var live = instances
            if time - lastBeat >= 1000 {
                lastBeat = time
                live = (try? await store.heartbeat(owner: instanceID, now: time)) ?? instances
            }
            if latest.rateLimit != current.rateLimit || live != instances {
                instances = max(1, live)
                bucket = bucket.withRate(latest.rateLimit / Double(instances), now: time)
            }
            if latest.retry.maxDelay != current.retry.maxDelay { breaker = CircuitBreaker(maxPause: latest.retry.maxDelay) }
            current = latest

            let finished = completions.withLock { list in
                defer { list.removeAll() }
                return list
            }
            if !finished.isEmpty {
                inFlight -= finished.count
                if finished.contains(where: \.probe) { probing = false }
                uncommitted += finished.map { record($0, settings: current, breaker: &breaker, now: time) }
            }
            if !uncommitted.isEmpty {
                do {
                    try await store.complete(uncommitted, now: time, owner: instanceID)
                    uncommitted.removeAll()
                    storeFailures = 0
                } catch {
                    // Kept for the next round: the jobs stay in flight, so nothing else claims them meanwhile.
                    storeFailures += 1
                    logger.error("cannot record delivery results", metadata: ["event": "store_error", "error": "\(error)", "results": "\(uncommitted.count)"])
                }
            }

            let shuttingDown = stopping.load(ordering: .relaxed) || Task.isCancelled
            if shuttingDown {
                if inFlight == 0 && (uncommitted.isEmpty || storeFailures >= 3) { return }
                let deadline = drainDeadline ?? time + drainTimeout.milliseconds
                drainDeadline = deadline
                if time >= deadline { group.cancelAll() }
                await wakeup.wait(timeout: .milliseconds(max(1, min(deadline - time, 1000))))
                continue
            }

            if time - lastPrune > 600_000 {
                lastPrune = time
                let cutoff = time - current.retention.milliseconds
                if let removed = try? await store.prune(olderThan: cutoff), removed > 0 {
                    logger.info("pruned", metadata: ["event": "pruned", "rows": "\(removed)"])
                }
            }

            var wakeAt = time + 1000
            let free = current.concurrency - inFlight
            if free > 0 && !probing && storeFailures < 3 {
                let permit = breaker.permit(now: time)
                switch permit {
                case .wait(let until):
                    wakeAt = min(wakeAt, until)
                case .proceed, .probe:
                    let wanted = permit == .probe ? 1 : free
                    let tokens = bucket.take(wanted, now: time)
                    if tokens == 0 {
                        wakeAt = min(wakeAt, bucket.nextTokenAt(now: time))
                    } else {
                        let jobs: [Job]
                        do {
                            // The lease outlives the transfer's own timeout, so it never ends mid-PATCH.
                            let leaseUntil = time + current.timeout.milliseconds + 5000
                            jobs = try await store.claimDue(limit: tokens, now: time, owner: instanceID, leaseUntil: leaseUntil)
                        } catch {
                            logger.error("cannot claim jobs", metadata: ["event": "store_error", "error": "\(error)"])
                            jobs = []
                        }
                        bucket.giveBack(tokens - jobs.count)
                        if permit == .probe, !jobs.isEmpty {
                            breaker.startProbe()
                            probing = true
                            if breaker.reason == .unauthorized {
                                logger.error("probing the upstream with a refused token", metadata: ["event": "circuit_open", "reason": "unauthorized", "job_id": "\(jobs[0].id)"])
                            }
                        }
                        let snapshot = current
                        let isProbe = permit == .probe
                        for job in jobs {
                            inFlight += 1
                            group.addTask {
                                let attempt = await self.attempt(job, settings: snapshot)
                                self.completions.withLock { $0.append(Completion(job: job, attempt: attempt, probe: isProbe)) }
                                self.wakeup.signal()
                            }
                        }
                        if jobs.count == tokens && inFlight < current.concurrency && !probing {
                            continue
                        }
                        if jobs.count < tokens, let due = try? await store.nextDueAt(now: time), due > time {
                            wakeAt = min(wakeAt, due)
                        }
                    }
                }
            }
            circuitOpen.store(breaker.isOpen, ordering: .relaxed)
            if storeFailures >= 3 { wakeAt = time + 1000 }
            await wakeup.wait(timeout: .milliseconds(max(1, wakeAt - time)))
        }
    }

    private func attempt(_ job: Job, settings: DeliverySettings) async -> Attempt {
        if settings.dryRun { return .dryRun }
        let body = JSONValue.object(["call_outcome": .string(job.outcome)]).serialized()
        let request = CurlClient.Request(
            method: "PATCH",
            url: settings.url(forCall: job.callID),
            headers: [
                "Authorization: Bearer \(settings.token)",
                "Content-Type: application/json",
                "Accept: application/json",
                "User-Agent: outcomed/\(OutcomedVersion.current)",
            ],
            body: Array(body.utf8),
            timeout: settings.timeout
        )
        do {
            var response = try await client.send(request)
            // Redacted whole, before record() keeps its first 512 bytes, so no token is cut in half.
            if !(200..<300).contains(response.status) {
                response.body = CredentialRedactor(token: settings.token).redact(response.body)
            }
            return .response(response)
        } catch let error as TransportError {
            return .transport(error)
        } catch {
            return .cancelled
        }
    }

    private func record(_ completion: Completion, settings: DeliverySettings, breaker: inout CircuitBreaker, now: Int64) -> JobResult {
        let job = completion.job
        let attemptNumber = job.attempts + 1
        var metadata: Logger.Metadata = ["call_id": "\(job.callID)", "job_id": "\(job.id)", "outcome": "\(job.outcome)", "attempt": "\(attemptNumber)"]
        let status: Int?
        let failure: String
        let retryAfter: Duration?
        switch completion.attempt {
        case .cancelled:
            return .release(jobID: job.id, status: nil, error: "interrupted by shutdown", nextAttemptAt: now)
        case .dryRun:
            OutcomedMetrics.delivery(result: "done", status: nil, duration: nil)
            metadata["event"] = "would_patch"
            logger.info("would_patch", metadata: metadata)
            return .done(jobID: job.id, status: nil)
        case .transport(let error):
            status = nil
            failure = error.description
            retryAfter = nil
            metadata["error"] = "\(error.description)"
        case .response(let response):
            status = response.status
            metadata["status"] = "\(response.status)"
            metadata["duration_ms"] = "\(Self.format(response.duration.seconds * 1000))"
            switch RetryPolicy.classify(status: response.status) {
            case .success:
                note(breaker.recordSuccess())
                OutcomedMetrics.delivery(result: "done", status: response.status, duration: response.duration)
                metadata["event"] = "delivered"
                logger.info("delivered", metadata: metadata)
                if let sent = Self.returnedOutcome(response.body), sent != job.outcome {
                    logger.warning("upstream kept another outcome", metadata: metadata.merging(["event": "delivered", "returned_outcome": "\(sent)"]) { $1 })
                }
                return .done(jobID: job.id, status: response.status)
            case .unauthorized:
                note(breaker.recordUnauthorized(now: now))
                OutcomedMetrics.delivery(result: "retry", status: response.status, duration: response.duration)
                metadata["event"] = "circuit_open"
                logger.error("the upstream refused the token; delivery paused", metadata: metadata)
                return .release(jobID: job.id, status: response.status, error: "HTTP \(response.status): token refused", nextAttemptAt: now)
            case .permanent:
                note(breaker.recordSuccess())
                OutcomedMetrics.delivery(result: "dead", status: response.status, duration: response.duration)
                let excerpt = "HTTP \(response.status): " + String(decoding: response.body.prefix(512), as: UTF8.self)
                metadata["event"] = "dead_lettered"
                metadata["error"] = "\(excerpt)"
                logger.error("dead_lettered", metadata: metadata)
                return .dead(jobID: job.id, status: response.status, error: excerpt)
            case .retryable:
                failure = "HTTP \(response.status): " + String(decoding: response.body.prefix(512), as: UTF8.self)
                retryAfter = response.retryAfter.flatMap { RetryPolicy.parseRetryAfter($0, now: Date(timeIntervalSince1970: Double(now) / 1000)) }
            }
        }
        note(breaker.recordFailure(now: now))
        let duration: Duration? = if case .response(let response) = completion.attempt { response.duration } else { nil }
        if settings.retry.isExhausted(attempts: attemptNumber, createdAt: job.createdAt, now: now) {
            OutcomedMetrics.delivery(result: "dead", status: status, duration: duration)
            metadata["event"] = "dead_lettered"
            metadata["error"] = "\(failure)"
            logger.error("dead_lettered", metadata: metadata)
            return .dead(jobID: job.id, status: status, error: "gave up after \(attemptNumber) attempts: \(failure)")
        }
        OutcomedMetrics.delivery(result: "retry", status: status, duration: duration)
        let delay = settings.retry.delay(afterAttempts: attemptNumber, retryAfter: retryAfter, random: random())
        metadata["event"] = "retry_scheduled"
        metadata["retry_in_s"] = "\(Self.format(delay.seconds))"
        logger.warning("retry_scheduled", metadata: metadata)
        return .retry(jobID: job.id, status: status, error: failure, nextAttemptAt: now + delay.milliseconds)
    }

    private func note(_ transition: CircuitBreaker.Transition?) {
        switch transition {
        case .opened(let reason, let pause):
            circuitOpen.store(true, ordering: .relaxed)
            OutcomedMetrics.circuit(open: true)
            logger.error("circuit_open", metadata: ["event": "circuit_open", "reason": "\(reason.rawValue)", "pause_s": "\(Self.format(pause.seconds))"])
        case .closed:
            circuitOpen.store(false, ordering: .relaxed)
            OutcomedMetrics.circuit(open: false)
            logger.notice("circuit_closed", metadata: ["event": "circuit_closed"])
        case nil:
            break
        }
    }

    static func returnedOutcome(_ body: [UInt8]) -> String? {
        guard let value = try? JSONParser().parse(body) else { return nil }
        return value["data"]?["call_outcome"]?.stringValue
    }

    /// One decimal place, as the log keys `duration_ms` and `retry_in_s` carry.
    static func format(_ value: Double) -> String {
        let tenths = Int((value * 10).rounded())
        return "\(tenths / 10).\(abs(tenths % 10))"
    }
}
