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

    /// Does the I/O the scheduler asks for, round after round, until it says stop.
    private func loop(group: inout DiscardingTaskGroup, stopping: borrowing Atomic<Bool>) async {
        var scheduler = DeliveryScheduler(settings: settings.withLock { $0 }, drainTimeout: drainTimeout)
        while true {
            let time = now()
            heartbeat.store(time, ordering: .relaxed)
            let current = settings.withLock { $0 }
            scheduler.beginRound(now: time, settings: current, stopping: stopping.load(ordering: .relaxed) || Task.isCancelled)
            let finished = completions.withLock { list in
                defer { list.removeAll() }
                return list
            }
            for completion in finished {
                scheduler.finished(record(completion, settings: current, scheduler: &scheduler, now: time), probe: completion.probe)
            }
            round: while true {
                switch scheduler.next() {
                case .heartbeat:
                    scheduler.heartbeatAnswered(live: try? await store.heartbeat(owner: instanceID, now: time))
                case .prune(let cutoff):
                    if let removed = try? await store.prune(olderThan: cutoff), removed > 0 {
                        logger.info("pruned", metadata: ["event": "pruned", "rows": "\(removed)"])
                    }
                case .settle(let results, let claim):
                    let jobs: [Job]
                    do {
                        jobs = try await store.settle(results, claimLimit: claim?.limit ?? 0, now: time, owner: instanceID, leaseUntil: claim?.leaseUntil ?? time)
                        scheduler.settled(claimed: jobs.count)
                    } catch {
                        // The results stay in flight until recorded, so nothing else claims their jobs meanwhile.
                        logger.error("cannot record delivery results or claim jobs", metadata: ["event": "store_error", "error": "\(error)", "results": "\(results.count)"])
                        scheduler.settled(claimed: nil)
                        jobs = []
                    }
                    let probe = claim?.probe ?? false
                    if probe, let job = jobs.first, scheduler.breaker.reason == .unauthorized {
                        logger.error("probing the upstream with a refused token", metadata: ["event": "circuit_open", "reason": "unauthorized", "job_id": "\(job.id)"])
                    }
                    for job in jobs {
                        group.addTask {
                            let attempt = await self.attempt(job, settings: current)
                            self.completions.withLock { $0.append(Completion(job: job, attempt: attempt, probe: probe)) }
                            self.wakeup.signal()
                        }
                    }
                case .findNextDue:
                    scheduler.nextDue(try? await store.nextDueAt(now: time))
                case .cancelTransfers:
                    group.cancelAll()
                case .continueNow:
                    break round
                case .wait(let until):
                    circuitOpen.store(scheduler.isCircuitOpen, ordering: .relaxed)
                    await wakeup.wait(timeout: .milliseconds(max(1, until - time)))
                    break round
                case .stop:
                    return
                }
            }
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

    private func record(_ completion: Completion, settings: DeliverySettings, scheduler: inout DeliveryScheduler, now: Int64) -> JobResult {
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
                note(scheduler.recordSuccess())
                OutcomedMetrics.delivery(result: "done", status: response.status, duration: response.duration)
                metadata["event"] = "delivered"
                logger.info("delivered", metadata: metadata)
                if let sent = Self.returnedOutcome(response.body), sent != job.outcome {
                    logger.warning("upstream kept another outcome", metadata: metadata.merging(["event": "delivered", "returned_outcome": "\(sent)"]) { $1 })
                }
                return .done(jobID: job.id, status: response.status)
            case .unauthorized:
                note(scheduler.recordUnauthorized())
                OutcomedMetrics.delivery(result: "retry", status: response.status, duration: response.duration)
                metadata["event"] = "circuit_open"
                logger.error("the upstream refused the token; delivery paused", metadata: metadata)
                return .release(jobID: job.id, status: response.status, error: "HTTP \(response.status): token refused", nextAttemptAt: now)
            case .permanent:
                note(scheduler.recordSuccess())
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
        note(scheduler.recordFailure())
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
