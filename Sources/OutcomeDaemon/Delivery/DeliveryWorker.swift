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
        /// Not sent: the circuit opened while the job waited for a slot.
        case paused
        case dryRun
    }

    struct Completion: Sendable {
        var job: Job
        var attempt: Attempt
        var probe: Bool
        /// Whether intake handed the job over (`DeliveryHandoff`) rather than a claim.
        var handedOff: Bool
    }

    private let store: any QueueStore
    let client: CurlClient
    let logger: Logger
    private let settings: Mutex<DeliverySettings>
    private let now: @Sendable () -> Int64
    let random: @Sendable () -> Double
    private let wakeup: Wakeup
    /// Set by `notify` and `update`, taken by the next round: a claim may find something new.
    private let notified = Atomic<Bool>(false)
    private let completions = Mutex<[Completion]>([])
    private let lanes = Mutex(Lanes())
    private let stopping = Atomic<Bool>(false)
    private let heartbeat = Atomic<Int64>(0)
    let circuitOpen = Atomic<Bool>(false)
    /// How long in-flight PATCHes get to finish at shutdown.
    public let drainTimeout: Duration
    /// This process's name on the leases it holds: host, pid and a random part, so a restarted
    /// process on the same host and pid is a different instance.
    public let instanceID: String
    /// Where intake hands this instance's new jobs straight to it, in flight.
    public let handoff: DeliveryHandoff

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
        let wakeup = Wakeup()
        self.wakeup = wakeup
        instanceID = Self.makeInstanceID()
        handoff = DeliveryHandoff(owner: instanceID, wake: { wakeup.signal() })
    }

    static func makeInstanceID() -> String {
        var name = [CChar](repeating: 0, count: 256)
        let host = gethostname(&name, name.count) == 0 ? String(cString: name) : "localhost"
        return "\(host):\(getpid()):\(String(UInt32.random(in: .min ... .max), radix: 16))"
    }

    /// Tells the worker a job may be due now.
    public func notify() {
        notified.store(true, ordering: .releasing)
        wakeup.signal()
    }

    /// Replaces the settings (a reload); in-flight attempts finish under the old ones.
    public func update(_ newSettings: DeliverySettings) {
        settings.withLock { $0 = newSettings }
        client.keepConnections(for: newSettings.concurrency)
        notify()
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
        await withGracefulShutdownHandler {
            await withDiscardingTaskGroup { group in
                await loop(group: &group)
            }
        } onGracefulShutdown: {
            self.handoff.close()
            self.stopping.store(true, ordering: .relaxed)
            self.wakeup.signal()
        }
        _ = try? await store.releaseAllInFlight(now: now(), owner: instanceID)
    }

    /// Claimed jobs waiting for a PATCH slot, and the slots in use (at most `api.concurrency`).
    /// A lane that ends a PATCH starts the next waiting job at once, without a round of the
    /// loop, so a store busy with intake's commits does not hold PATCHes back.
    struct Lanes: Sendable {
        var waiting: [(job: Job, probe: Bool, handedOff: Bool)] = []
        var busy = 0
    }

    /// PATCHes waiting jobs one after another until none waits; a job whose turn comes while the
    /// circuit is open (it was claimed before) or at shutdown goes back uncharged instead.
    private func runLane() async {
        while let (job, probe, handedOff) = lanes.withLock({ lanes -> (Job, Bool, Bool)? in
            guard !lanes.waiting.isEmpty else {
                lanes.busy -= 1
                return nil
            }
            return lanes.waiting.removeFirst()
        }) {
            let attempt: Attempt
            if stopping.load(ordering: .relaxed) || Task.isCancelled {
                attempt = .cancelled
            } else if circuitOpen.load(ordering: .relaxed) && !probe {
                attempt = .paused
            } else {
                attempt = await self.attempt(job, settings: settings.withLock { $0 })
            }
            // Released before the result is queued: a round in between still counts the job in flight.
            if handedOff, case .response(let response) = attempt, (200..<300).contains(response.status) { handoff.release() }
            completions.withLock { $0.append(Completion(job: job, attempt: attempt, probe: probe, handedOff: handedOff)) }
            wakeup.signal()
        }
    }

    /// Queues jobs for the lanes, starting lanes while fewer than `concurrency` are busy.
    private func start(_ jobs: [Job], probe: Bool, handedOff: Bool, concurrency: Int, group: inout DiscardingTaskGroup) {
        let starting = lanes.withLock { lanes in
            lanes.waiting += jobs.map { ($0, probe, handedOff) }
            let starting = max(0, min(lanes.waiting.count, concurrency - lanes.busy))
            lanes.busy += starting
            return starting
        }
        for _ in 0..<starting {
            group.addTask { await self.runLane() }
        }
    }

    /// Does the I/O the scheduler asks for, round after round, until it says stop.
    private func loop(group: inout DiscardingTaskGroup) async {
        var scheduler = DeliveryScheduler(settings: settings.withLock { $0 }, drainTimeout: drainTimeout)
        while true {
            let time = now()
            heartbeat.store(time, ordering: .relaxed)
            let current = settings.withLock { $0 }
            scheduler.beginRound(
                now: time, settings: current, stopping: stopping.load(ordering: .relaxed) || Task.isCancelled,
                notified: notified.exchange(false, ordering: .acquiringAndReleasing)
            )
            let finished = completions.withLock { list in
                defer { list.removeAll() }
                return list
            }
            for completion in finished {
                scheduler.finished(
                    record(completion, settings: current, scheduler: &scheduler, now: time), probe: completion.probe, handedOff: completion.handedOff
                )
            }
            let handedOff = handoff.take()
            if !handedOff.isEmpty {
                scheduler.adopted(handedOff.count)
                start(handedOff, probe: false, handedOff: true, concurrency: current.concurrency, group: &group)
            }
            scheduler.promised(toIntake: handoff.outstanding)
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
                        let settlement = try await store.settle(results, claimLimit: claim?.limit ?? 0, now: time, owner: instanceID, leaseUntil: claim?.leaseUntil ?? time)
                        scheduler.settled(claimed: settlement.jobs.count, nextDue: settlement.nextDueAt)
                        jobs = settlement.jobs
                    } catch {
                        // The results stay in flight until recorded, so nothing else claims their jobs meanwhile.
                        logger.error("cannot record delivery results or claim jobs", metadata: ["event": "store_error", "error": "\(error)", "results": "\(results.count)"])
                        scheduler.settled(claimed: nil, nextDue: nil)
                        jobs = []
                    }
                    let probe = claim?.probe ?? false
                    if probe, let job = jobs.first, scheduler.breaker.reason == .unauthorized {
                        logger.error("probing the upstream with a refused token", metadata: ["event": "circuit_open", "reason": "unauthorized", "job_id": "\(job.id)"])
                    }
                    start(jobs, probe: probe, handedOff: false, concurrency: current.concurrency, group: &group)
                case .cancelTransfers:
                    group.cancelAll()
                case .continueNow:
                    break round
                case .wait(let until):
                    circuitOpen.store(scheduler.isCircuitOpen, ordering: .relaxed)
                    handoff.offer(scheduler.handoffRoom, leaseMillis: scheduler.leaseMillis, releases: scheduler.releasesHandoffRoom)
                    await wakeup.wait(timeout: .milliseconds(max(1, until - time)))
                    break round
                case .stop:
                    // Jobs that a commit reserved room for before the shutdown are taken and given back first.
                    handoff.close()
                    guard handoff.isQuiet else {
                        await wakeup.wait(timeout: .milliseconds(10))
                        break round
                    }
                    return
                }
            }
        }
    }
}
