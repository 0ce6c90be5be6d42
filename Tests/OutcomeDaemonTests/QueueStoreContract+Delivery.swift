import Testing
@testable import OutcomeDaemon

/// Delivery: claims in due order under leases, and what happens when a lease runs out.
extension QueueStoreContractCase {
    static let delivery: [QueueStoreContractCase] = [
        QueueStoreContractCase("claims take due jobs oldest due first, up to the limit") { store in
            var ids: [Int64] = []
            for call in ["c1", "c2", "c3"] { ids.append(try await Contract.queue(store, "k-\(call)", call: call)) }
            let first = try await Contract.claim(store, "a", limit: 2)
            #expect(first.map(\.id) == Array(ids.prefix(2)))
            #expect(first.allSatisfy { $0.state == .inFlight && $0.leaseOwner == "a" && $0.leaseExpiresAt != nil })
            #expect(try await Contract.claim(store, "a", limit: 2).map(\.id) == [ids[2]])
            #expect(try await Contract.claim(store, "a").isEmpty)
            #expect(try await Contract.claim(store, "a", limit: 0).isEmpty)

            let now = WallClock.milliseconds()
            try await store.complete([
                .release(jobID: ids[1], status: nil, error: nil, nextAttemptAt: now),
                .release(jobID: ids[2], status: nil, error: nil, nextAttemptAt: now - 5000),
            ], now: now, owner: "a")
            #expect(try await Contract.claim(store, "b", limit: 1).map(\.id) == [ids[2]], "the earlier due time comes first")
            #expect(try await Contract.claim(store, "b", limit: 1).map(\.id) == [ids[1]])
        },
        QueueStoreContractCase("a job not yet due is not claimed, and each settle says when the next is due, on the caller's clock") { store in
            let start = WallClock.milliseconds()
            #expect(try await store.settle([], claimLimit: 1, now: start, owner: "a", leaseUntil: start + 60_000) == Settlement(jobs: [], nextDueAt: nil))
            let id = try await Contract.queue(store, "k1", call: "c1")
            let other = try await Contract.queue(store, "k2", call: "c2")
            #expect(try await Contract.claim(store, "a", limit: 1).map(\.id) == [id])
            let now = WallClock.milliseconds()
            // The job left pending is due already; the one put back is due in a minute.
            let settlement = try await store.settle([.retry(jobID: id, status: 503, error: "HTTP 503", nextAttemptAt: now + 60_000)], claimLimit: 0, now: now, owner: "a", leaseUntil: now)
            #expect(try #require(settlement.nextDueAt) <= now + 1000)
            #expect(try await Contract.claim(store, "b").map(\.id) == [other])
            let later = WallClock.milliseconds()
            let next = try await store.settle([], claimLimit: 1, now: later, owner: "a", leaseUntil: later + 60_000)
            #expect(next.jobs.isEmpty)
            // A store on another clock translates; either way it is about a minute from `now`.
            let due = try #require(next.nextDueAt)
            #expect(due > now + 50_000 && due < now + 70_000)
        },
        QueueStoreContractCase("a live owner's lease is never taken, by another owner or again by itself") { store in
            let id = try await Contract.queue(store, "k1", call: "c1")
            #expect(try await Contract.claim(store, "a").map(\.id) == [id])
            #expect(try await Contract.claim(store, "b").isEmpty)
            #expect(try await Contract.claim(store, "a").isEmpty)
            let job = try await Contract.job(store, id)
            #expect(job.state == .inFlight && job.leaseOwner == "a")
        },
        QueueStoreContractCase("an expired lease goes back to pending uncharged, for another owner to claim") { store in
            let id = try await Contract.queue(store, "k1", call: "c1")
            #expect(try await Contract.claimAndLetExpire(store, "owner-a").map(\.id) == [id])
            #expect(try await Contract.claim(store, "owner-a").isEmpty, "an owner's own jobs are its own, expired or not")
            let taken = try await Contract.claim(store, "owner-b")
            #expect(taken.map(\.id) == [id])
            let job = try await Contract.job(store, id)
            #expect(job.state == .inFlight && job.leaseOwner == "owner-b" && job.attempts == 0)
            #expect(job.lastError == "the lease of owner-a expired")
        },
        QueueStoreContractCase("an expired lease whose call has a newer decision is superseded by it") { store in
            let first = try await Contract.queue(store, "k1", call: "c1", outcome: "interested")
            _ = try await Contract.claimAndLetExpire(store, "owner-a")
            let second = try await Contract.queue(store, "k2", call: "c1", outcome: "callback")
            #expect(try await Contract.claim(store, "owner-b").map(\.id) == [second])
            let old = try await Contract.job(store, first)
            #expect(old.state == .done && old.lastError == "superseded by a later decision")
            #expect(old.leaseOwner == nil && old.leaseExpiresAt == nil && old.attempts == 0)
        },
        QueueStoreContractCase("a result from an owner that lost its lease is ignored") { store in
            let id = try await Contract.queue(store, "k1", call: "c1")
            _ = try await Contract.claimAndLetExpire(store, "owner-a")
            #expect(try await Contract.claim(store, "owner-b").map(\.id) == [id])
            try await Contract.complete(store, [.done(jobID: id, status: 200)], owner: "owner-a")
            var job = try await Contract.job(store, id)
            #expect(job.state == .inFlight && job.leaseOwner == "owner-b" && job.attempts == 0)
            try await Contract.complete(store, [.dead(jobID: id, status: 400, error: "late")], owner: "owner-a")
            #expect(try await Contract.job(store, id).state == .inFlight)
            try await Contract.complete(store, [.done(jobID: id, status: 200)], owner: "owner-b")
            job = try await Contract.job(store, id)
            #expect(job.state == .done && job.attempts == 1 && job.leaseOwner == nil)
        },
        QueueStoreContractCase("shutdown releases only the owner's jobs, uncharged, superseding those with a newer decision") { store in
            let mine = try await Contract.queue(store, "k1", call: "c1")
            let superseded = try await Contract.queue(store, "k2", call: "c2")
            let theirs = try await Contract.queue(store, "k3", call: "c3")
            #expect(try await Contract.claim(store, "me", limit: 2).map(\.id) == [mine, superseded])
            #expect(try await Contract.claim(store, "them").map(\.id) == [theirs])
            let newer = try await Contract.queue(store, "k4", call: "c2", outcome: "callback")

            #expect(try await store.releaseAllInFlight(now: WallClock.milliseconds(), owner: "me") == 1)
            let released = try await Contract.job(store, mine)
            #expect(released.state == .pending && released.attempts == 0 && released.lastError == "interrupted by shutdown")
            #expect(released.leaseOwner == nil && released.leaseExpiresAt == nil)
            let old = try await Contract.job(store, superseded)
            #expect(old.state == .done && old.lastError == "superseded by a later decision")
            #expect(try await Contract.job(store, newer).state == .pending)
            let held = try await Contract.job(store, theirs)
            #expect(held.state == .inFlight && held.leaseOwner == "them")
        },
        QueueStoreContractCase("recovery puts every job in flight back to pending, superseding those with a newer decision") { store in
            let first = try await Contract.queue(store, "k1", call: "c1")
            let superseded = try await Contract.queue(store, "k2", call: "c2")
            _ = try await Contract.claim(store, "a", limit: 1)
            _ = try await Contract.claim(store, "b", limit: 1)
            _ = try await Contract.queue(store, "k3", call: "c2", outcome: "callback")
            #expect(try await store.recoverInFlight(now: WallClock.milliseconds()) == 1)
            let recovered = try await Contract.job(store, first)
            #expect(recovered.state == .pending && recovered.lastError == "recovered after a restart" && recovered.leaseOwner == nil)
            #expect(try await Contract.job(store, superseded).state == .done)
        },
        QueueStoreContractCase("a settle records a round's results and claims the next due jobs, skipping the calls it just put back") { store in
            let a = try await Contract.queue(store, "k-a", call: "ca")
            let b = try await Contract.queue(store, "k-b", call: "cb")
            #expect(try await Contract.claim(store, "w", limit: 2).map(\.id) == [a, b])
            let c = try await Contract.queue(store, "k-c", call: "cc")
            let d = try await Contract.queue(store, "k-d", call: "cd")
            let now = WallClock.milliseconds()
            let claimed = try await store.settle(
                [.done(jobID: a, status: 200), .retry(jobID: b, status: 503, error: "HTTP 503", nextAttemptAt: now + 60_000)],
                claimLimit: 5, now: now, owner: "w", leaseUntil: now + 60_000
            ).jobs
            #expect(claimed.map(\.id) == [c, d], "b is pending again but not due for a minute")
            #expect(claimed.allSatisfy { $0.state == .inFlight && $0.leaseOwner == "w" })
            let done = try await Contract.job(store, a)
            #expect(done.state == .done && done.attempts == 1 && done.lastStatus == 200)
            let retried = try await Contract.job(store, b)
            #expect(retried.state == .pending && retried.attempts == 1 && retried.lastError == "HTTP 503")
            // Sent again after a failure the caller could not see through: nothing changes twice.
            let again = try await store.settle([.done(jobID: a, status: 200)], claimLimit: 0, now: now, owner: "w", leaseUntil: now + 60_000)
            #expect(again.jobs.isEmpty)
            #expect(try await Contract.job(store, a).attempts == 1)
            #expect(try await store.settle([], claimLimit: 0, now: now, owner: "w", leaseUntil: now).jobs.isEmpty)
        },
    ]
}
