import OutcomeEngine
import Testing
@testable import OutcomeDaemon

/// Intake's handoff: new jobs straight in flight for the committing instance.
extension QueueStoreContractCase {
    static let handoff: [QueueStoreContractCase] = [
        QueueStoreContractCase("a commit with room puts that many new jobs in flight for its owner and leaves the rest pending") { store in
            let commit = try await store.commit(
                [Contract.record("k1", call: "c1"), Contract.record("k2", call: "c2", outcome: "callback", rule: nil), Contract.record("k3", call: "c3")],
                now: WallClock.milliseconds(), deadline: nil, handoff: IntakeHandoff(owner: "a", limit: 2, leaseMillis: 60_000)
            )
            #expect(commit.receipts.map(\.handedOff) == [true, true, false])
            #expect(commit.handedOff.map(\.id) == commit.receipts.prefix(2).compactMap(\.jobID))
            #expect(commit.handedOff.map(\.callID) == ["c1", "c2"])
            #expect(commit.handedOff.map(\.outcome) == ["interested", "callback"] && commit.handedOff.map(\.rule) == ["lead", nil])
            #expect(commit.handedOff.map(\.eventID) == commit.receipts.prefix(2).map(\.eventID))
            for handed in commit.handedOff {
                let stored = try await Contract.job(store, handed.id)
                #expect(stored.state == .inFlight && stored.leaseOwner == "a" && stored.attempts == 0)
                #expect((stored.leaseExpiresAt ?? 0) > WallClock.milliseconds() + 50_000)
            }
            let stats = try await Contract.stats(store)
            #expect(stats.inFlight == 2 && stats.pending == 1)
            // Only the pending job is left to claim, and the owner records its handed-off jobs' answers.
            #expect(try await Contract.claim(store, "b").map(\.callID) == ["c3"])
            try await Contract.complete(store, commit.handedOff.map { .done(jobID: $0.id, status: 200) }, owner: "a")
            #expect(try await Contract.stats(store).done == 2)
        },
        QueueStoreContractCase("a handoff leaves pending a call with a job pending or in flight, or that comes twice in the batch") { store in
            let c1 = try await Contract.queue(store, "k1", call: "c1")
            let c2 = try await Contract.queue(store, "k2", call: "c2")
            #expect(try await Contract.claim(store, "b", limit: 1).map(\.id) == [c1])
            // c1's job is in flight now, c2's pending.
            let commit = try await store.commit(
                [
                    Contract.record("k4", call: "c1", outcome: "callback"), Contract.record("k5", call: "c2", outcome: "callback"),
                    Contract.record("k6", call: "c4"), Contract.record("k7", call: "c4", outcome: "callback"), Contract.record("k8", call: "c5"),
                ],
                now: WallClock.milliseconds(), deadline: nil, handoff: IntakeHandoff(owner: "a", limit: 10, leaseMillis: 60_000)
            )
            #expect(commit.receipts.map(\.handedOff) == [false, false, false, false, true])
            #expect(commit.handedOff.map(\.callID) == ["c5"])
            #expect(commit.receipts[1].jobID == c2, "a pending job takes the new decision")
            #expect(commit.receipts[0].jobID != c1, "a call in flight gets a second job, which waits")
            #expect(commit.receipts[2].jobID == commit.receipts[3].jobID)
            let c4 = try await Contract.job(store, try #require(commit.receipts[3].jobID))
            #expect(c4.state == .pending && c4.outcome == "callback")
            let stats = try await Contract.stats(store)
            #expect(stats.inFlight == 2 && stats.pending == 3)
        },
        QueueStoreContractCase("a duplicate or a no_match decision is never handed off") { store in
            let first = try await Contract.commit(store, "k1", call: "c1")
            let commit = try await store.commit(
                [Contract.record("k1", call: "c1"), Contract.record("k2", call: "c2", outcome: nil, rule: nil)],
                now: WallClock.milliseconds(), deadline: nil, handoff: IntakeHandoff(owner: "a", limit: 10, leaseMillis: 60_000)
            )
            #expect(commit.receipts.map(\.duplicate) == [true, false])
            #expect(commit.receipts.map(\.handedOff) == [false, false] && commit.handedOff.isEmpty)
            #expect(try await Contract.job(store, try #require(first.jobID)).state == .pending)
        },
    ]
}
