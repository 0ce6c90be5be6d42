import Testing
@testable import OutcomeDaemon

/// The delivery loop's decisions, driven by a fake clock: the worker's I/O is played by the test.
struct DeliverySchedulerTests {
    static func settings(concurrency: Int = 4, rateLimit: Double = 0, maxDelay: Duration = .seconds(60)) -> DeliverySettings {
        var retry = RetryConfig()
        retry.maxDelay = maxDelay
        return DeliverySettings(
            baseURL: "http://127.0.0.1:1", token: "t", timeout: .seconds(10), concurrency: concurrency,
            rateLimit: rateLimit, retry: RetryPolicy(retry), dryRun: false, retention: .seconds(3600)
        )
    }

    /// A scheduler and the settings its rounds run under; plays the worker's I/O.
    struct Driver {
        var scheduler: DeliveryScheduler
        var settings: DeliverySettings

        init(_ settings: DeliverySettings, drainTimeout: Duration = .seconds(10)) {
            scheduler = DeliveryScheduler(settings: settings, drainTimeout: drainTimeout)
            self.settings = settings
        }

        /// Runs one round and returns its actions, answering each I/O action as given: `due`
        /// nil makes every settle fail, which otherwise claims up to `claimable` jobs and says
        /// the next is due at `nextDue`; `notified` says intake queued jobs since the last round.
        mutating func round(
            at now: Int64, settings newSettings: DeliverySettings? = nil, stopping: Bool = false, notified: Bool = false,
            live: Int? = 1, due: Int? = 0, claimable: Int = 0, nextDue: Int64? = nil
        ) -> [DeliveryScheduler.Action] {
            if let newSettings { settings = newSettings }
            scheduler.beginRound(now: now, settings: settings, stopping: stopping, notified: notified)
            var actions: [DeliveryScheduler.Action] = []
            while actions.count < 20 {
                let action = scheduler.next()
                actions.append(action)
                switch action {
                case .heartbeat: scheduler.heartbeatAnswered(live: live)
                case .settle(_, let claim): scheduler.settled(claimed: due.map { _ in min(claim?.limit ?? 0, claimable) }, nextDue: nextDue)
                case .prune, .cancelTransfers: break
                case .wait, .continueNow, .stop: return actions
                }
            }
            Issue.record("a round did not end: \(actions)")
            return actions
        }
    }

    static func claims(_ actions: [DeliveryScheduler.Action]) -> [DeliveryScheduler.Claim] {
        actions.compactMap { if case .settle(_, let claim?) = $0 { claim } else { nil } }
    }

    @Test func anIdleQueueHeartbeatsPrunesClaimsAndSleepsUntilTheNextDueJob() {
        var driver = Driver(Self.settings(), drainTimeout: .seconds(10))
        let actions = driver.round(at: 1_000_000, nextDue: 1_000_300)
        #expect(actions == [
            .heartbeat,
            .prune(olderThan: 1_000_000 - 3_600_000),
            .settle(results: [], claim: .init(limit: 32, leaseUntil: 1_085_000, probe: false)),
            .wait(until: 1_000_300),
        ])
        // Half a second later: no heartbeat, no prune, a claim as a job was due at 300, and with
        // nothing more due, a sleep until the next heartbeat, a second after the last.
        #expect(driver.round(at: 1_000_500) == [.settle(results: [], claim: .init(limit: 32, leaseUntil: 1_085_500, probe: false)), .wait(until: 1_001_000)])
        #expect(driver.round(at: 1_001_000).first == .heartbeat)
    }

    @Test func claimsFillAWindowOfEightJobsPerSlot() {
        var driver = Driver(Self.settings(concurrency: 4), drainTimeout: .seconds(10))
        // Three due of thirty-two asked for: the queue is empty, so it sleeps (nothing is due).
        var actions = driver.round(at: 0, claimable: 3)
        #expect(Self.claims(actions).map(\.limit) == [32], "four PATCH slots, each with its next jobs in hand")
        #expect(actions.last == .wait(until: 1000))
        actions = driver.round(at: 1, notified: true, claimable: 29)
        #expect(Self.claims(actions).map(\.limit) == [29])
        #expect(actions.last == .wait(until: 1000), "full: it waits for an attempt to end, or the next heartbeat")
        #expect(driver.scheduler.inFlight == 32)
        // A slot's worth of attempts end: their results are recorded with the next claim, in one settle.
        for id in 7...10 { driver.scheduler.finished(.done(jobID: Int64(id), status: 200), probe: false) }
        actions = driver.round(at: 2, claimable: 4)
        #expect(actions.contains(.settle(results: (7...10).map { .done(jobID: Int64($0), status: 200) }, claim: .init(limit: 4, leaseUntil: 85_002, probe: false))))
        #expect(driver.scheduler.unrecorded == 0)
    }

    @Test func aFullClaimWithRoomLeftContinuesAtOnce() {
        var driver = Driver(Self.settings(concurrency: 8, rateLimit: 2), drainTimeout: .seconds(10))
        let actions = driver.round(at: 0, claimable: 100)
        #expect(Self.claims(actions).map(\.limit) == [2], "the bucket holds two tokens")
        #expect(actions.last == .continueNow)
        // No token left: it sleeps until the next one, half a second at 2/s.
        #expect(driver.round(at: 0, claimable: 100).last == .wait(until: 500))
    }

    @Test(arguments: [(live: 1, share: 10), (live: 2, share: 5), (live: 5, share: 2)])
    func theRateLimitIsSharedBetweenLiveInstances(live: Int, share: Int) {
        var driver = Driver(Self.settings(concurrency: 32, rateLimit: 10), drainTimeout: .seconds(10))
        var claimed = 0
        var time: Int64 = 0
        // Ten seconds of rounds with an endless backlog; every attempt ends at once.
        while time <= 10_000 {
            let actions = driver.round(at: time, settings: Self.settings(concurrency: 32, rateLimit: 10), live: live, claimable: 1000)
            let count = Self.claims(actions).reduce(0) { $0 + $1.limit }
            claimed += count
            for id in 0..<count { driver.scheduler.finished(.done(jobID: Int64(id), status: 200), probe: false) }
            if case .wait(let until) = actions.last { time = max(time + 1, until) }
        }
        // The first second holds a full bucket, the capacity of this instance's share.
        let expected = share * 10 + (live == 1 ? 10 : share)
        #expect(abs(claimed - expected) <= 1, "claimed \(claimed), expected about \(expected)")
    }

    @Test func anOpenCircuitStopsClaimsThenSendsOneProbeThenResumes() {
        var driver = Driver(Self.settings(concurrency: 4), drainTimeout: .seconds(10))
        _ = driver.round(at: 0, claimable: 4)
        for id in 0..<4 {
            _ = driver.scheduler.recordFailure()
            driver.scheduler.finished(.retry(jobID: Int64(id), status: 503, error: "503", nextAttemptAt: 100), probe: false)
        }
        _ = driver.round(at: 10, notified: true, claimable: 1)
        #expect(driver.scheduler.recordFailure() == .opened(.failures, pause: .seconds(5)))
        driver.scheduler.finished(.retry(jobID: 9, status: 503, error: "503", nextAttemptAt: 100), probe: false)
        // Open: nothing is claimed until the pause ends, and the results are recorded once
        // they have waited `resultDelay` for a claim.
        #expect(driver.round(at: 20, notified: true, claimable: 10) == [.wait(until: 30)])
        var actions = driver.round(at: 30, notified: true, claimable: 10)
        #expect(actions.contains(.settle(results: [.retry(jobID: 9, status: 503, error: "503", nextAttemptAt: 100)], claim: nil)))
        #expect(actions.last == .wait(until: 1000))
        #expect(Self.claims(driver.round(at: 5009, notified: true, claimable: 10)).isEmpty)
        // The pause is over: one probe, and nothing else while it is out.
        actions = driver.round(at: 5010, claimable: 10)
        #expect(Self.claims(actions) == [.init(limit: 1, leaseUntil: 90_010, probe: true)])
        #expect(Self.claims(driver.round(at: 5020, notified: true, claimable: 10)).isEmpty)
        // It succeeds: the circuit closes and the full concurrency comes back.
        #expect(driver.scheduler.recordSuccess() == .closed)
        driver.scheduler.finished(.done(jobID: 10, status: 200), probe: true)
        #expect(Self.claims(driver.round(at: 5030, claimable: 10)).map(\.limit) == [32])
    }

    @Test func aStoreThatCannotRecordResultsStopsClaimsUntilItCanAgain() {
        var driver = Driver(Self.settings(concurrency: 2), drainTimeout: .seconds(10))
        _ = driver.round(at: 0, claimable: 2)
        driver.scheduler.finished(.done(jobID: 1, status: 200), probe: false)
        var time: Int64 = 100
        for _ in 0..<3 {
            let actions = driver.round(at: time, due: nil)
            #expect(actions.last == .wait(until: time + 1000))
            time += 1000
        }
        // Three failures in a row: the result is offered again, but no claim goes with it.
        var actions = driver.round(at: time, due: nil)
        #expect(actions.contains(.settle(results: [.done(jobID: 1, status: 200)], claim: nil)))
        #expect(driver.scheduler.unrecorded == 1)
        // The store is back: the result is recorded and claims resume.
        time += 1000
        actions = driver.round(at: time, claimable: 1)
        #expect(actions.contains(.settle(results: [.done(jobID: 1, status: 200)], claim: nil)))
        #expect(driver.scheduler.unrecorded == 0)
        #expect(Self.claims(driver.round(at: time + 1, claimable: 1)).map(\.limit) == [15])
    }

    @Test func aFailedClaimWithNothingToRecordIsTriedAgainASecondLater() {
        var driver = Driver(Self.settings(concurrency: 2), drainTimeout: .seconds(10))
        for round in 0..<5 {
            let time = Int64(round) * 1000
            let actions = driver.round(at: time, due: nil)
            #expect(Self.claims(actions).map(\.limit) == [16], "round \(round): a claim without results is never held back")
            #expect(actions.last == .wait(until: time + 1000))
        }
    }

    @Test func shutdownRecordsWhatEndsAndStopsWhenNothingIsInFlight() {
        var driver = Driver(Self.settings(concurrency: 2), drainTimeout: .seconds(10))
        _ = driver.round(at: 0, claimable: 2)
        var actions = driver.round(at: 100, stopping: true, claimable: 2)
        #expect(Self.claims(actions).isEmpty)
        #expect(actions.last == .wait(until: 1100))
        driver.scheduler.finished(.done(jobID: 1, status: 200), probe: false)
        driver.scheduler.finished(.done(jobID: 2, status: 200), probe: false)
        actions = driver.round(at: 200, stopping: true)
        #expect(actions.suffix(2) == [.settle(results: [.done(jobID: 1, status: 200), .done(jobID: 2, status: 200)], claim: nil), .stop])
    }

    @Test func shutdownCancelsTransfersAtTheDrainTimeout() {
        var driver = Driver(Self.settings(concurrency: 2), drainTimeout: .seconds(3))
        _ = driver.round(at: 0, claimable: 1)
        #expect(driver.round(at: 1000, stopping: true).last == .wait(until: 2000))
        #expect(driver.round(at: 3500, stopping: true).last == .wait(until: 4000), "the deadline is set when shutdown begins")
        #expect(driver.round(at: 4000, stopping: true).suffix(2) == [.cancelTransfers, .wait(until: 4001)])
        driver.scheduler.finished(.release(jobID: 1, status: nil, error: "interrupted by shutdown", nextAttemptAt: 4001), probe: false)
        #expect(driver.round(at: 4001, stopping: true).last == .stop)
    }

    @Test func shutdownGivesUpOnAStoreThatStaysDown() {
        var driver = Driver(Self.settings(concurrency: 1), drainTimeout: .seconds(10))
        _ = driver.round(at: 0, claimable: 1)
        driver.scheduler.finished(.done(jobID: 1, status: 200), probe: false)
        var last: DeliveryScheduler.Action?
        for round in 1...3 { last = driver.round(at: Int64(round) * 1000, stopping: true, due: nil).last }
        #expect(last == .stop, "after three failed attempts to record, the lease returns the job")
    }

    @Test func aReloadChangesConcurrencyAndRateBetweenRounds() {
        var driver = Driver(Self.settings(concurrency: 2), drainTimeout: .seconds(10))
        #expect(Self.claims(driver.round(at: 0)).map(\.limit) == [16])
        // A reload wakes the worker as intake does.
        #expect(Self.claims(driver.round(at: 10, settings: Self.settings(concurrency: 6), notified: true)).map(\.limit) == [48])
        #expect(Self.claims(driver.round(at: 20, settings: Self.settings(concurrency: 6, rateLimit: 3), notified: true)).map(\.limit) == [3])
    }

    @Test func resultsOfARoundThatCanClaimNothingWaitForTheNextClaim() {
        var driver = Driver(Self.settings(concurrency: 4), drainTimeout: .seconds(10))
        #expect(Self.claims(driver.round(at: 0, claimable: 2)).map(\.limit) == [32])
        // Two PATCHes end; nothing was queued since the claim that found only two jobs.
        driver.scheduler.finished(.done(jobID: 1, status: 200), probe: false)
        driver.scheduler.finished(.done(jobID: 2, status: 200), probe: false)
        #expect(driver.round(at: 5) == [.wait(until: 20)], "no store call: the results wait \(DeliveryScheduler.resultDelay) ms")
        // Intake queues a job: one settle records both results and claims it.
        var actions = driver.round(at: 12, notified: true, claimable: 1)
        #expect(actions.contains(.settle(results: [.done(jobID: 1, status: 200), .done(jobID: 2, status: 200)], claim: .init(limit: 32, leaseUntil: 85_012, probe: false))))
        // Its PATCH ends and nothing more is queued: the result is recorded alone, 20 ms on.
        driver.scheduler.finished(.done(jobID: 3, status: 200), probe: false)
        #expect(driver.round(at: 13) == [.wait(until: 32)])
        actions = driver.round(at: 32)
        #expect(actions.contains(.settle(results: [.done(jobID: 3, status: 200)], claim: nil)))
        #expect(driver.scheduler.unrecorded == 0)
    }

    @Test func withoutANotificationARoundClaimsWhenTheNextJobIsDueOrEachHeartbeat() {
        var driver = Driver(Self.settings(concurrency: 1), drainTimeout: .seconds(10))
        // A retry is due at 300: the round at 300 claims, the one at 200 does not.
        _ = driver.round(at: 0, nextDue: 300)
        #expect(Self.claims(driver.round(at: 200)).isEmpty)
        #expect(Self.claims(driver.round(at: 300, nextDue: nil)).map(\.limit) == [8])
        // Nothing is due: only the heartbeat's round, a second after the last, claims (a job
        // that another process made due, such as `outcomed queue retry`).
        #expect(Self.claims(driver.round(at: 999)).isEmpty)
        let actions = driver.round(at: 1000)
        #expect(actions.first == .heartbeat)
        #expect(Self.claims(actions).map(\.limit) == [8])
    }

    @Test func aJobDueButNotClaimedIsClaimedAgainRightAfterResultsAreRecorded() {
        var driver = Driver(Self.settings(concurrency: 1), drainTimeout: .seconds(10))
        _ = driver.round(at: 0, claimable: 1)
        // Its call's next job waits for it; the result ends it, but the claim in the same
        // settle may not see that, and the store says a job is due already.
        driver.scheduler.finished(.done(jobID: 1, status: 200), probe: false)
        let actions = driver.round(at: 10, notified: true, claimable: 0, nextDue: 5)
        #expect(actions.last == .wait(until: 10), "the next round comes at once")
        #expect(Self.claims(driver.round(at: 11, claimable: 1)).map(\.limit) == [8])
    }

    @Test func withJobsWaitingBehindEverySlotAClaimWaitsForASlotsWorthOfRoom() {
        var driver = Driver(Self.settings(concurrency: 4), drainTimeout: .seconds(10))
        #expect(Self.claims(driver.round(at: 0, claimable: 100)).map(\.limit) == [32])
        // Three PATCHes end: twenty-nine claimed jobs are still in hand for four slots, so no claim yet.
        for id in 1...3 { driver.scheduler.finished(.done(jobID: Int64(id), status: 200), probe: false) }
        #expect(Self.claims(driver.round(at: 5, claimable: 100)).isEmpty)
        // The fourth makes room for one job per slot: one claim for all four.
        driver.scheduler.finished(.done(jobID: 4, status: 200), probe: false)
        let actions = driver.round(at: 6, claimable: 100)
        #expect(Self.claims(actions).map(\.limit) == [4])
        #expect(actions.contains(.settle(results: (1...4).map { .done(jobID: Int64($0), status: 200) }, claim: .init(limit: 4, leaseUntil: 85_006, probe: false))))
        // With no more than one job per slot in hand, any room is claimed at once.
        var small = Driver(Self.settings(concurrency: 4), drainTimeout: .seconds(10))
        _ = small.round(at: 0, claimable: 3)
        small.scheduler.finished(.done(jobID: 1, status: 200), probe: false)
        #expect(Self.claims(small.round(at: 5, notified: true, claimable: 1)).map(\.limit) == [30])
    }
}
