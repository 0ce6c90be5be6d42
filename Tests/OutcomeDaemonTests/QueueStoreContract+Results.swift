import Testing
@testable import OutcomeDaemon

/// Results of attempts: what each one charges and keeps.
extension QueueStoreContractCase {
    static let results: [QueueStoreContractCase] = [
        QueueStoreContractCase("done, retry, dead and release record the attempt, charged or not") { store in
            var ids: [Int64] = []
            for call in ["c1", "c2", "c3", "c4", "c5"] { ids.append(try await Contract.queue(store, "k-\(call)", call: call)) }
            #expect(try await Contract.claim(store, "a").count == 5)
            let now = WallClock.milliseconds()
            try await store.complete([
                .done(jobID: ids[0], status: 200),
                .retry(jobID: ids[1], status: 503, error: "HTTP 503", nextAttemptAt: now + 60_000),
                .dead(jobID: ids[2], status: 422, error: "HTTP 422: bad outcome"),
                .release(jobID: ids[3], status: 401, error: "the token was refused", nextAttemptAt: now),
                .done(jobID: ids[4], status: nil),
            ], now: now, owner: "a")

            let done = try await Contract.job(store, ids[0])
            #expect(done.state == .done && done.attempts == 1 && done.lastStatus == 200 && done.lastError == nil)
            #expect(done.leaseOwner == nil && done.leaseExpiresAt == nil)
            let retried = try await Contract.job(store, ids[1])
            #expect(retried.state == .pending && retried.attempts == 1 && retried.lastStatus == 503 && retried.lastError == "HTTP 503")
            #expect(retried.nextAttemptAt > now + 50_000 && retried.leaseOwner == nil)
            let dead = try await Contract.job(store, ids[2])
            #expect(dead.state == .dead && dead.attempts == 1 && dead.lastStatus == 422 && dead.lastError == "HTTP 422: bad outcome")
            let released = try await Contract.job(store, ids[3])
            #expect(released.state == .pending && released.attempts == 0 && released.lastStatus == 401 && released.lastError == "the token was refused")
            let dryRun = try await Contract.job(store, ids[4])
            #expect(dryRun.state == .done && dryRun.lastStatus == nil)

            #expect(try await Contract.claim(store, "a").map(\.id) == [ids[3]], "released is due again, the retry is not yet")
            let stats = try await Contract.stats(store)
            #expect(stats.pending == 1 && stats.inFlight == 1 && stats.done == 2 && stats.dead == 1)
        },
        QueueStoreContractCase("a retried or released job whose call has a newer pending job is superseded by it") { store in
            let retried = try await Contract.queue(store, "k1", call: "c1")
            let released = try await Contract.queue(store, "k2", call: "c2")
            #expect(try await Contract.claim(store, "a").count == 2)
            let newer1 = try await Contract.queue(store, "k3", call: "c1", outcome: "callback")
            let newer2 = try await Contract.queue(store, "k4", call: "c2", outcome: "callback")
            let now = WallClock.milliseconds()
            try await store.complete([
                .retry(jobID: retried, status: 503, error: "HTTP 503", nextAttemptAt: now),
                .release(jobID: released, status: 401, error: "the token was refused", nextAttemptAt: now),
            ], now: now, owner: "a")
            let first = try await Contract.job(store, retried)
            #expect(first.state == .done && first.attempts == 1 && first.lastStatus == 503 && first.lastError == "superseded by job \(newer1)")
            #expect(first.leaseOwner == nil)
            let second = try await Contract.job(store, released)
            #expect(second.state == .done && second.attempts == 0 && second.lastError == "superseded by job \(newer2)")
            #expect(Set(try await Contract.claim(store, "b").map(\.id)) == [newer1, newer2])
        },
        QueueStoreContractCase("the readiness probe's write succeeds") { store in
            try await store.probeWrite(now: WallClock.milliseconds()).get()
            try await store.probeWrite(now: WallClock.milliseconds()).get()
        },
    ]
}
