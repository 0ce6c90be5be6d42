import Foundation
import OutcomeEngine
import Testing
@testable import OutcomeDaemon

/// The delivery worker against a live `outcome-api-mock`, one scenario of SPEC §4 each.
@Suite(.timeLimit(.minutes(2)))
struct DeliveryTests {
    @Test func aJobIsDeliveredWithTheRightRequest() async throws {
        let mock = try await MockServer()
        let harness = try DeliveryHarness(mock: mock)
        let receipt = try harness.enqueue("call-ok", "interested")
        try await harness.withWorker { _ in
            try await harness.waitUntil { try await harness.job(receipt.jobID)?.state == .done }
        }
        let requests = try await mock.requests(callID: "call-ok")
        #expect(requests.count == 1)
        #expect(requests.first?.outcome == "interested")
        #expect(requests.first?.path == "/api/v1/webhooks/calls/call-ok/change-outcome")
        #expect(requests.first?.authorization == "Bearer \(MockServer.token)")
        #expect(requests.first?.contentType == "application/json")
        #expect(requests.first?.accept == "application/json")
        #expect(requests.first?.userAgent == "outcomed/\(OutcomedVersion.current)")
        let job = try #require(try await harness.job(receipt.jobID))
        #expect(job.attempts == 1 && job.lastStatus == 200)
    }

    @Test func twoServiceUnavailableThenSuccessIsDeliveredOnTheThirdAttempt() async throws {
        let mock = try await MockServer()
        let harness = try DeliveryHarness(mock: mock)
        try await mock.script("call-503", [["status": 503], ["status": 503], ["status": 200]])
        let receipt = try harness.enqueue("call-503", "callback")
        try await harness.withWorker { _ in
            try await harness.waitUntil { try await harness.job(receipt.jobID)?.state == .done }
        }
        #expect(try await mock.requests(callID: "call-503").map(\.status) == [503, 503, 200])
        #expect(try await harness.job(receipt.jobID)?.attempts == 3)
    }

    @Test func retryAfterIsHonoured() async throws {
        let mock = try await MockServer()
        let harness = try DeliveryHarness(mock: mock)
        try await mock.script("call-429", [["status": 429, "retry_after": "2"]])
        let receipt = try harness.enqueue("call-429", "callback")
        try await harness.withWorker { _ in
            try await harness.waitUntil { try await harness.job(receipt.jobID)?.state == .done }
        }
        let requests = try await mock.requests(callID: "call-429")
        #expect(requests.map(\.status) == [429, 200])
        #expect(requests[1].at - requests[0].at >= 2.0)
    }

    @Test func aConnectionResetAndATimeoutAreRetried() async throws {
        let mock = try await MockServer()
        let harness = try DeliveryHarness(mock: mock, timeout: .milliseconds(500))
        try await mock.script("call-reset", [["reset": true]])
        try await mock.script("call-slow", [["delay_ms": 2000, "status": 200]])
        let reset = try harness.enqueue("call-reset", "voicemail")
        let slow = try harness.enqueue("call-slow", "voicemail")
        try await harness.withWorker { _ in
            try await harness.waitUntil { try await harness.jobs([reset.jobID, slow.jobID]).allSatisfy { $0?.state == .done } }
        }
        #expect(try await harness.job(reset.jobID)?.attempts == 2)
        #expect(try await harness.job(slow.jobID)?.attempts == 2)
        #expect(try await mock.requests(callID: "call-slow").count == 2)
    }

    @Test(arguments: [404, 422])
    func aClientErrorIsDeadAtOnceWithItsStatusAndBody(status: Int) async throws {
        let mock = try await MockServer()
        let harness = try DeliveryHarness(mock: mock)
        try await mock.script("call-\(status)", [["status": status, "body": #"{"message":"no such call \#(status)"}"#]])
        let receipt = try harness.enqueue("call-\(status)", "interested")
        try await harness.withWorker { _ in
            try await harness.waitUntil { try await harness.job(receipt.jobID)?.state == .dead }
        }
        let job = try #require(try await harness.job(receipt.jobID))
        #expect(job.attempts == 1)
        #expect(job.lastStatus == status)
        #expect(job.lastError == #"HTTP \#(status): {"message":"no such call \#(status)"}"#, "the same form as a retried status, the body as the upstream sent it")
        #expect(try await mock.requests(callID: "call-\(status)").count == 1)
    }

    @Test func aRefusedTokenPausesEveryJobWithoutChargingThenResumes() async throws {
        let mock = try await MockServer()
        var retry = DeliveryHarness.fastRetry
        retry.maxDelay = .milliseconds(600)
        let harness = try DeliveryHarness(mock: mock, retry: retry)
        try await mock.mode("401")
        let receipts = try (0..<3).map { try harness.enqueue("call-auth-\($0)", "interested") }
        try await harness.withWorker { worker in
            try await harness.waitUntil { try await mock.requests().count >= 1 && worker.isCircuitOpen }
            try await Task.sleep(for: .milliseconds(1500))
            let refused = try await mock.requests()
            #expect(refused.allSatisfy { $0.status == 401 })
            // the first batch plus about one probe per max_delay, not a retry storm
            #expect(refused.count <= 3 + 4)
            for receipt in receipts {
                let job = try #require(try await harness.job(receipt.jobID))
                #expect(job.attempts == 0)
                #expect(job.state == .pending || job.state == .inFlight)
            }
            try await mock.mode("up")
            try await harness.waitUntil { try await harness.jobs(receipts.map(\.jobID)).allSatisfy { $0?.state == .done } }
            #expect(!worker.isCircuitOpen)
        }
        for receipt in receipts {
            #expect(try await harness.job(receipt.jobID)?.attempts == 1)
        }
    }

    @Test func maxAttemptsMakesAJobDead() async throws {
        let mock = try await MockServer()
        var retry = DeliveryHarness.fastRetry
        retry.maxAttempts = 3
        let harness = try DeliveryHarness(mock: mock, retry: retry)
        try await mock.mode("down")
        let receipt = try harness.enqueue("call-attempts", "interested")
        try await harness.withWorker { _ in
            try await harness.waitUntil { try await harness.job(receipt.jobID)?.state == .dead }
        }
        let job = try #require(try await harness.job(receipt.jobID))
        #expect(job.attempts == 3)
        #expect(job.lastStatus == 503)
        #expect(job.lastError?.hasPrefix("gave up after 3 attempts") == true)
        #expect(try await mock.requests(callID: "call-attempts").count == 3)
    }

    @Test func maxAgeMakesAJobDead() async throws {
        let mock = try await MockServer()
        var retry = DeliveryHarness.fastRetry
        retry.maxAge = .milliseconds(300)
        let harness = try DeliveryHarness(mock: mock, retry: retry)
        try await mock.mode("down")
        let receipt = try harness.enqueue("call-age", "interested")
        try await harness.withWorker { _ in
            try await harness.waitUntil { try await harness.job(receipt.jobID)?.state == .dead }
        }
        let job = try #require(try await harness.job(receipt.jobID))
        #expect(job.attempts < 12)
        #expect(job.lastStatus == 503)
    }

    @Test func twoDecisionsForAPendingCallMakeOnePatchWithTheLaterOutcome() async throws {
        let mock = try await MockServer()
        let harness = try DeliveryHarness(mock: mock)
        let first = try harness.enqueue("call-twice", "callback")
        let second = try harness.enqueue("call-twice", "do_not_call")
        #expect(first.jobID == second.jobID)
        try await harness.withWorker { _ in
            try await harness.waitUntil { try await harness.job(second.jobID)?.state == .done }
        }
        let requests = try await mock.requests(callID: "call-twice")
        #expect(requests.map(\.outcome) == ["do_not_call"])
    }

    @Test func claimsRunAheadButNoMoreThanConcurrencyPatchesAreSentAtOnce() async throws {
        let mock = try await MockServer()
        let harness = try DeliveryHarness(mock: mock)
        harness.settings.concurrency = 3
        _ = try await mock.control("POST", "/-/delay", ["delay_ms": 30])
        for index in 0..<30 { try harness.enqueue("call-lane-\(index)", "interested") }
        try await harness.withWorker { _ in
            try await harness.waitUntil { try await harness.store.stats(now: WallClock.milliseconds()).done == 30 }
        }
        let stats = try await mock.control("GET", "/-/stats")
        #expect(stats["requests"] as? Int == 30)
        #expect(stats["peak_active"] as? Int == 3, "three PATCH slots, all busy, never a fourth")
        #expect(stats["overlaps"] as? Int == 0)
    }

    @Test func aDecisionWhileTheCallIsInFlightWaitsAndWins() async throws {
        let mock = try await MockServer()
        let harness = try DeliveryHarness(mock: mock)
        try await mock.script("call-overlap", [["delay_ms": 500, "status": 200]])
        let first = try harness.enqueue("call-overlap", "callback")
        try await harness.withWorker { _ in
            try await harness.waitUntil { try await harness.job(first.jobID)?.state == .inFlight }
            let second = try harness.enqueue("call-overlap", "interested")
            #expect(second.jobID != first.jobID)
            try await harness.waitUntil { try await harness.job(second.jobID)?.state == .done }
        }
        let requests = try await mock.requests(callID: "call-overlap")
        #expect(requests.map(\.outcome) == ["callback", "interested"])
        #expect(requests[1].at >= requests[0].at + 0.5)
    }

    @Test func anEventCommittedWithRoomInDeliveryGoesStraightInFlightForThisInstance() async throws {
        let mock = try await MockServer()
        let harness = try DeliveryHarness(mock: mock)
        try await mock.script("call-handed", [["delay_ms": 500, "status": 200]])
        try await harness.withWorker { worker in
            let writer = IntakeWriter(store: harness.store, handoff: worker.handoff)
            try await harness.waitUntil { worker.handoff.offered > 0 }
            let receipt = try await writer.commit(IntakeRecord(
                idempotencyKey: "handed", callID: "call-handed", body: Array("{}".utf8), decision: Decision(action: .queued, outcome: "interested", rule: "test")
            ))
            #expect(receipt.handedOff)
            // Nobody told the worker a job was queued: it holds the job from the commit itself.
            let job = try #require(try await harness.job(receipt.jobID))
            #expect(job.state == .inFlight && job.leaseOwner == worker.instanceID)
            try await harness.waitUntil { try await harness.job(receipt.jobID)?.state == .done }
        }
        #expect(try await mock.requests(callID: "call-handed").map(\.outcome) == ["interested"])
    }

    @Test func aJobLeftInFlightIsDeliveredAfterARestart() async throws {
        let mock = try await MockServer()
        let harness = try DeliveryHarness(mock: mock)
        let receipt = try harness.enqueue("call-crash", "voicemail")
        let now = WallClock.milliseconds()
        let claimed = try await harness.store.claimDue(limit: 10, now: now, owner: "crashed-instance", leaseUntil: now + 60_000)
        #expect(claimed.map(\.id) == [receipt.jobID].compactMap { $0 })
        #expect(try await harness.job(receipt.jobID)?.state == .inFlight)
        try await harness.withWorker { _ in
            try await harness.waitUntil { try await harness.job(receipt.jobID)?.state == .done }
        }
        #expect(try await mock.requests(callID: "call-crash").map(\.outcome) == ["voicemail"])
    }

    @Test func aCallIDWithReservedCharactersArrivesAsOnePathSegment() async throws {
        let mock = try await MockServer()
        let harness = try DeliveryHarness(mock: mock)
        let callID = "a/b?c#d%e f+ü"
        let receipt = try harness.enqueue(callID, "interested")
        try await harness.withWorker { _ in
            try await harness.waitUntil { try await harness.job(receipt.jobID)?.state == .done }
        }
        let requests = try await mock.requests(callID: callID)
        #expect(requests.count == 1)
        #expect(requests.first?.path == "/api/v1/webhooks/calls/a%2Fb%3Fc%23d%25e%20f%2B%C3%BC/change-outcome")
    }

    @Test func dryRunMarksJobsDoneWithoutSending() async throws {
        let mock = try await MockServer()
        let harness = try DeliveryHarness(mock: mock)
        harness.settings.dryRun = true
        let receipt = try harness.enqueue("call-dry", "interested")
        try await harness.withWorker { _ in
            try await harness.waitUntil { try await harness.job(receipt.jobID)?.state == .done }
        }
        #expect(try await mock.requests().isEmpty)
    }
}
