import Foundation
import Testing
@testable import OutcomeDaemon

/// Leases (§4): a job in flight belongs to the instance that claimed it until its lease ends.
@Suite(.timeLimit(.minutes(1)))
struct LeaseTests {
    @Test func anExpiredLeaseIsTakenOverUnchargedAndALiveOneIsLeftAlone() async throws {
        let mock = try await MockServer()
        let harness = try DeliveryHarness(mock: mock)
        let expired = try harness.enqueue("call-lease-expired", "callback")
        let live = try harness.enqueue("call-lease-live", "interested")
        let now = WallClock.milliseconds()
        let expiresAt = now + 400
        let taken = try await harness.store.claimDue(limit: 1, now: now, owner: "host-a:1:dead", leaseUntil: expiresAt)
        #expect(taken.map(\.id) == [expired.jobID].compactMap { $0 })
        _ = try await harness.store.claimDue(limit: 1, now: now, owner: "host-b:2:live", leaseUntil: now + 60_000)

        try await harness.withWorker(releasingInFlightAtStart: false) { _ in
            try await harness.waitUntil { try await harness.job(expired.jobID)?.state == .done }
            try await Task.sleep(for: .milliseconds(300))
        }
        let patches = try await mock.requests(callID: "call-lease-expired")
        #expect(patches.count == 1)
        #expect(try #require(patches.first).at * 1000 >= Double(expiresAt), "taken only once the lease ended")
        let done = try #require(try await harness.job(expired.jobID))
        #expect(done.attempts == 1, "the expired lease was not charged")
        #expect(done.leaseOwner == nil)

        let held = try #require(try await harness.job(live.jobID))
        #expect(held.state == .inFlight)
        #expect(held.leaseOwner == "host-b:2:live")
        #expect(try await mock.requests(callID: "call-lease-live").isEmpty)
    }

    @Test func aResultCountsOnlyForTheInstanceThatHoldsTheLease() async throws {
        let mock = try await MockServer()
        let harness = try DeliveryHarness(mock: mock)
        let receipt = try harness.enqueue("call-lease-result", "voicemail")
        let jobID = try #require(receipt.jobID)
        let now = WallClock.milliseconds()
        _ = try await harness.store.claimDue(limit: 1, now: now, owner: "taker", leaseUntil: now + 60_000)

        try await harness.store.complete([.done(jobID: jobID, status: 200)], now: now + 1, owner: "former-holder")
        #expect(try await harness.job(jobID)?.state == .inFlight, "a stale result from a lease that was lost changes nothing")
        try await harness.store.complete([.done(jobID: jobID, status: 200)], now: now + 2, owner: "taker")
        #expect(try await harness.job(jobID)?.state == .done)
    }

    @Test func shutdownReleasesOnlyTheJobsThisInstanceHolds() async throws {
        let mock = try await MockServer()
        let harness = try DeliveryHarness(mock: mock)
        let mine = try #require(try harness.enqueue("call-mine", "callback").jobID)
        let theirs = try #require(try harness.enqueue("call-theirs", "callback").jobID)
        let now = WallClock.milliseconds()
        _ = try await harness.store.claimDue(limit: 1, now: now, owner: "me", leaseUntil: now + 60_000)
        _ = try await harness.store.claimDue(limit: 1, now: now, owner: "them", leaseUntil: now + 60_000)
        #expect(try await harness.store.releaseAllInFlight(now: now + 1, owner: "me") == 1)
        #expect(try await harness.job(mine)?.state == .pending)
        #expect(try await harness.job(theirs)?.state == .inFlight)
    }
}
