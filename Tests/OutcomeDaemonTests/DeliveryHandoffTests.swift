import Synchronization
import Testing
@testable import OutcomeDaemon

/// Intake's handoff to delivery: the room the scheduler offers, and how commits share it.
struct DeliveryHandoffTests {
    typealias Driver = DeliverySchedulerTests.Driver

    @Test func intakeTakesTheWholeWindowWhileNothingIsDueAndHalfOfItWhileClaimsMayFindJobs() {
        var driver = Driver(DeliverySchedulerTests.settings(concurrency: 4))
        _ = driver.round(at: 0, claimable: 3)
        // The claim took all that was due: intake may fill the rest of the window of 32.
        #expect(driver.scheduler.handoffRoom == 29 && driver.scheduler.leaseMillis == 85_000)
        #expect(driver.scheduler.releasesHandoffRoom)
        driver.scheduler.adopted(16)
        #expect(driver.scheduler.handoffRoom == 13)
        // Jobs were queued (a notification), and a claim fills its room: more may be due, so
        // intake's share is half the window, and claims keep the other half.
        #expect(DeliverySchedulerTests.claims(driver.round(at: 5, notified: true, claimable: 100)).map(\.limit) == [13])
        #expect(driver.scheduler.inFlight == 32 && driver.scheduler.handoffRoom == 0 && !driver.scheduler.releasesHandoffRoom)
        for id in 1...8 { driver.scheduler.finished(.done(jobID: Int64(id), status: 200), probe: false, handedOff: true) }
        #expect(driver.scheduler.handoffRoom == 8)
        // Claimed jobs that end free room for claims, not for intake beyond its half.
        driver.scheduler.adopted(8)
        for id in 9...16 { driver.scheduler.finished(.done(jobID: Int64(id), status: 200), probe: false) }
        #expect(driver.scheduler.handoffRoom == 0 && driver.scheduler.handedInFlight == 16)
        // A claim that finds fewer jobs than it may take: nothing more is due, and intake may
        // use the whole window again.
        #expect(DeliverySchedulerTests.claims(driver.round(at: 10, notified: true, claimable: 1)).map(\.limit) == [8])
        #expect(driver.scheduler.handoffRoom == 7)
    }

    @Test func claimsLeaveRoomForAllThatIntakeMayStillHandOver() throws {
        var driver = Driver(DeliverySchedulerTests.settings(concurrency: 4))
        let handoff = DeliveryHandoff(owner: "me", wake: {})
        // A job is due that the claim did not take (its call was in flight): claims may find it,
        // so intake's share is half the window.
        _ = driver.round(at: 0, nextDue: 0)
        Self.offer(driver.scheduler, to: handoff)
        let room = try #require(handoff.reserve(upTo: 5))
        // Eleven offered and five reserved: a round claims only the other sixteen of the window.
        #expect(handoff.outstanding == 16)
        driver.scheduler.promised(toIntake: handoff.outstanding)
        #expect(DeliverySchedulerTests.claims(driver.round(at: 5, notified: true, claimable: 100)).map(\.limit) == [16])
        // The commit hands over three jobs and gives two back to the offer: the window is full.
        handoff.finish(room, handedOff: (1...3).map(Self.job))
        driver.scheduler.adopted(handoff.take().count)
        driver.scheduler.promised(toIntake: handoff.outstanding)
        #expect(DeliverySchedulerTests.claims(driver.round(at: 6, notified: true, claimable: 100)).isEmpty)
        #expect(driver.scheduler.inFlight + handoff.outstanding == driver.scheduler.claimWindow)
    }

    @Test func aDeliveredJobsRoomIsOfferedAgainAtOnceOnlyWhileIntakeMayUseTheWholeWindow() throws {
        var driver = Driver(DeliverySchedulerTests.settings(concurrency: 4))
        let handoff = DeliveryHandoff(owner: "me", wake: {})
        // Nothing is due: intake may fill the window of 32, and one commit does.
        _ = driver.round(at: 0)
        #expect(driver.scheduler.releasesHandoffRoom)
        Self.offer(driver.scheduler, to: handoff)
        handoff.finish(try #require(handoff.reserve(upTo: 40)), handedOff: (1...32).map(Self.job))
        driver.scheduler.adopted(handoff.take().count)
        #expect(handoff.reserve(upTo: 1) == nil)
        // Two are delivered: their room is offered at once, before a round records them.
        handoff.release()
        handoff.release()
        let next = try #require(handoff.reserve(upTo: 5))
        #expect(next.limit == 2)
        // Jobs were queued (a notification): a round meanwhile, the two still counted in flight,
        // leaves no room for a claim, and from now on claims may find jobs due.
        driver.scheduler.promised(toIntake: handoff.outstanding)
        #expect(DeliverySchedulerTests.claims(driver.round(at: 5, notified: true, claimable: 100)).isEmpty)
        #expect(!driver.scheduler.releasesHandoffRoom)
        Self.offer(driver.scheduler, to: handoff)
        handoff.finish(next, handedOff: [Self.job(33), Self.job(34)])
        driver.scheduler.adopted(handoff.take().count)
        for id in 1...2 { driver.scheduler.finished(.done(jobID: Int64(id), status: 200), probe: false, handedOff: true) }
        // A delivered job's room no longer goes back to intake, which holds more than its half:
        // it comes back through the rounds, to claims.
        handoff.release()
        #expect(handoff.offered == 0)
        for id in 3...8 { driver.scheduler.finished(.done(jobID: Int64(id), status: 200), probe: false, handedOff: true) }
        driver.scheduler.promised(toIntake: handoff.outstanding)
        #expect(DeliverySchedulerTests.claims(driver.round(at: 10, notified: true, claimable: 100)).map(\.limit) == [6])
        #expect(driver.scheduler.handoffRoom == 0)
        handoff.close()
        handoff.release()
        #expect(handoff.offered == 0, "nothing is offered after shutdown began")
    }

    static func offer(_ scheduler: DeliveryScheduler, to handoff: DeliveryHandoff) {
        handoff.offer(scheduler.handoffRoom, leaseMillis: scheduler.leaseMillis, releases: scheduler.releasesHandoffRoom)
    }

    static func job(_ id: Int) -> Job {
        Job(
            id: Int64(id), callID: "c\(id)", outcome: "interested", rule: nil, eventID: Int64(id), state: .inFlight, attempts: 0, nextAttemptAt: 0,
            lastStatus: nil, lastError: nil, createdAt: 0, updatedAt: 0, leaseOwner: "me", leaseExpiresAt: 45_000
        )
    }

    @Test(arguments: ["a rate limit", "an open circuit", "a shutdown", "a store that fails"])
    func nothingIsOfferedUnder(_ condition: String) {
        var driver = Driver(DeliverySchedulerTests.settings(concurrency: 4, rateLimit: condition == "a rate limit" ? 5 : 0))
        switch condition {
        case "an open circuit":
            _ = driver.round(at: 0)
            _ = driver.scheduler.recordUnauthorized()
            _ = driver.round(at: 10)
        case "a shutdown": _ = driver.round(at: 0, stopping: true)
        case "a store that fails": _ = driver.round(at: 0, due: nil)
        default: _ = driver.round(at: 0)
        }
        #expect(driver.scheduler.handoffRoom == 0 && !driver.scheduler.releasesHandoffRoom)
    }

    @Test func commitsReserveTheOfferAndGiveBackWhatTheyDidNotUse() throws {
        let wakes = Atomic<Int>(0)
        let handoff = DeliveryHandoff(owner: "me", wake: { wakes.add(1, ordering: .relaxed) })
        #expect(handoff.reserve(upTo: 3) == nil, "nothing is offered before the worker's first round")
        handoff.offer(5, leaseMillis: 45_000, releases: true)
        let first = handoff.reserve(upTo: 3)
        let second = handoff.reserve(upTo: 3)
        #expect(first == IntakeHandoff(owner: "me", limit: 3, leaseMillis: 45_000))
        #expect(second?.limit == 2 && handoff.reserve(upTo: 1) == nil)
        let job = Self.job(7)
        handoff.finish(try #require(first), handedOff: [job])
        #expect(handoff.offered == 2 && wakes.load(ordering: .relaxed) == 1)
        // The worker's next offer counts the room still reserved and the job not yet taken.
        handoff.offer(5, leaseMillis: 45_000, releases: true)
        #expect(handoff.offered == 2)
        #expect(handoff.take() == [job] && handoff.take().isEmpty)
        handoff.finish(try #require(second), handedOff: [])
        #expect(handoff.offered == 4 && wakes.load(ordering: .relaxed) == 1, "a commit that handed nothing off wakes no one")
        // At shutdown nothing more is offered, whatever the worker's rounds say.
        #expect(handoff.isQuiet)
        handoff.close()
        handoff.offer(5, leaseMillis: 45_000, releases: true)
        #expect(handoff.reserve(upTo: 1) == nil)
    }
}
