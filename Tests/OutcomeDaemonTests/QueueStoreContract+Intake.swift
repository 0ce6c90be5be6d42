import OutcomeEngine
import Testing
@testable import OutcomeDaemon

/// Intake: duplicates and one call, one line.
extension QueueStoreContractCase {
    static let intake: [QueueStoreContractCase] = [
        QueueStoreContractCase("a second decision for a call with a pending job replaces its outcome in the same job") { store in
            let first = try await Contract.commit(store, "k1", call: "c1", outcome: "interested", rule: "lead")
            let second = try await Contract.commit(store, "k2", call: "c1", outcome: "callback", rule: nil)
            #expect(!first.duplicate && !second.duplicate)
            #expect(second.eventID != first.eventID)
            let jobID = try #require(first.jobID)
            #expect(second.jobID == jobID)
            #expect(second.response == Contract.record("k2", call: "c1", outcome: "callback", rule: nil).response(eventID: second.eventID, jobID: jobID))
            let job = try await Contract.job(store, jobID)
            #expect(job.outcome == "callback" && job.rule == nil && job.eventID == second.eventID)
            #expect(job.state == .pending && job.attempts == 0 && job.callID == "c1")
            #expect(try await Contract.stats(store).pending == 1)
        },
        QueueStoreContractCase("in one batch a repeated key is a duplicate and the call's job takes the last decision") { store in
            let receipts = try await store.commit([
                Contract.record("k1", call: "c1"), Contract.record("k1", call: "c1"),
                Contract.record("k2", call: "c1", outcome: "callback", rule: nil), Contract.record("k3", call: "c2", outcome: nil, rule: nil),
            ], now: WallClock.milliseconds(), deadline: nil)
            #expect(receipts.map(\.duplicate) == [false, true, false, false])
            #expect(receipts[1].eventID == receipts[0].eventID && receipts[1].response == receipts[0].response && receipts[1].jobID == nil)
            let jobID = try #require(receipts[0].jobID)
            #expect(receipts[2].jobID == jobID && receipts[3].jobID == nil)
            #expect(Set(receipts.map(\.eventID)).count == 3)
            let job = try await Contract.job(store, jobID)
            #expect(job.outcome == "callback" && job.rule == nil && job.eventID == receipts[2].eventID)
            #expect(try await Contract.stats(store).pending == 1)
        },
        QueueStoreContractCase("an event received again is a duplicate with the first answer and queues nothing") { store in
            let first = try await Contract.commit(store, "k1", call: "c1", outcome: "interested")
            let again = try await Contract.commit(store, "k1", call: "c1", outcome: "callback")
            #expect(again.duplicate && again.jobID == nil)
            #expect(again.eventID == first.eventID && again.response == first.response)
            let jobID = try #require(first.jobID)
            #expect(try await Contract.job(store, jobID).outcome == "interested")

            let claimed = try await Contract.claim(store, "a")
            try await Contract.complete(store, [.done(jobID: jobID, status: 200)], owner: "a")
            #expect(claimed.map(\.id) == [jobID])
            let late = try await Contract.commit(store, "k1", call: "c1", outcome: "callback")
            #expect(late.duplicate && late.response == first.response)
            let stats = try await Contract.stats(store)
            #expect(stats.pending == 0 && stats.done == 1)
        },
        QueueStoreContractCase("a no_match decision stores the event and queues no job") { store in
            let receipt = try await Contract.commit(store, "k1", call: "c1", outcome: nil, rule: nil)
            #expect(!receipt.duplicate && receipt.jobID == nil)
            #expect(receipt.response == Contract.record("k1", call: "c1", outcome: nil, rule: nil).response(eventID: receipt.eventID, jobID: nil))
            #expect(try await Contract.stats(store) == QueueStats(pending: 0, inFlight: 0, done: 0, dead: 0, oldestPendingAgeSeconds: 0))
            #expect(try await Contract.commit(store, "k1", call: "c1", outcome: nil, rule: nil).duplicate)
        },
        QueueStoreContractCase("a decision while the call's job is in flight makes a second job that waits for the first") { store in
            let first = try await Contract.queue(store, "k1", call: "c1", outcome: "interested")
            #expect(try await Contract.claim(store, "a").map(\.id) == [first])
            let second = try await Contract.queue(store, "k2", call: "c1", outcome: "callback")
            #expect(second != first)
            #expect(try await Contract.claim(store, "b").isEmpty, "the call has a job in flight")
            #expect(try await Contract.job(store, second).state == .pending)

            try await Contract.complete(store, [.done(jobID: first, status: 200)], owner: "a")
            let next = try await Contract.claim(store, "b")
            #expect(next.map(\.id) == [second])
            #expect(next.first?.outcome == "callback" && next.first?.state == .inFlight && next.first?.leaseOwner == "b")
        },
    ]
}
