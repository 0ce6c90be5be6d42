import Testing
@testable import OutcomeDaemon

/// What the `queue` commands read and change, and retention.
extension QueueStoreContractCase {
    static let operatorCommands: [QueueStoreContractCase] = [
        QueueStoreContractCase("stats count jobs by state") { store in
            var ids: [Int64] = []
            for call in ["c1", "c2", "c3", "c4", "c5"] { ids.append(try await Contract.queue(store, "k-\(call)", call: call)) }
            #expect(try await Contract.claim(store, "a", limit: 3).count == 3)
            try await Contract.complete(store, [.done(jobID: ids[0], status: 200), .dead(jobID: ids[1], status: 404, error: "HTTP 404")], owner: "a")
            let stats = try await Contract.stats(store)
            #expect(stats.pending == 2 && stats.inFlight == 1 && stats.done == 1 && stats.dead == 1)
            #expect(stats.oldestPendingAgeSeconds >= 0)
        },
        QueueStoreContractCase("list filters by state and call, newest first, up to the limit") { store in
            let a1 = try await Contract.queue(store, "k1", call: "a")
            let b1 = try await Contract.queue(store, "k2", call: "b")
            _ = try await Contract.claim(store, "a", limit: 1)
            let a2 = try await Contract.queue(store, "k3", call: "a", outcome: "callback")
            #expect(try await store.list(state: nil, callID: nil, limit: 10).map(\.id) == [a2, b1, a1])
            #expect(try await store.list(state: .pending, callID: nil, limit: 10).map(\.id) == [a2, b1])
            #expect(try await store.list(state: nil, callID: "a", limit: 10).map(\.id) == [a2, a1])
            #expect(try await store.list(state: .inFlight, callID: "a", limit: 10).map(\.id) == [a1])
            #expect(try await store.list(state: .done, callID: nil, limit: 10).isEmpty)
            #expect(try await store.list(state: nil, callID: nil, limit: 1).map(\.id) == [a2])
            #expect(try await store.job(a2 + 1000) == nil)
        },
        QueueStoreContractCase("retry puts dead jobs back to pending and says why it left others alone") { store in
            let dead = try await Contract.queue(store, "k1", call: "c1")
            let pending = try await Contract.queue(store, "k2", call: "c2")
            let blocked = try await Contract.queue(store, "k3", call: "c3")
            let other = try await Contract.queue(store, "k4", call: "c4")
            #expect(try await Contract.claim(store, "a").count == 4)
            try await Contract.complete(store, [.release(jobID: pending, status: nil, error: nil, nextAttemptAt: WallClock.milliseconds())], owner: "a")
            let newer = try await Contract.queue(store, "k5", call: "c3", outcome: "callback")
            try await Contract.complete(store, [
                .dead(jobID: dead, status: 400, error: "HTTP 400"), .dead(jobID: blocked, status: 400, error: "HTTP 400"),
                .dead(jobID: other, status: 400, error: "HTTP 400"),
            ], owner: "a")
            let missing = newer + 1000

            let change = try await store.retry(ids: [missing, dead, pending, blocked], now: WallClock.milliseconds())
            #expect(change.changed == [dead])
            #expect(change.skipped == [
                "job \(missing): no such job",
                "job \(pending): is pending, only dead jobs are retried",
                "job \(blocked): call c3 already has pending job \(newer)",
            ])
            let retried = try await Contract.job(store, dead)
            #expect(retried.state == .pending && retried.attempts == 0 && retried.lastError == nil)

            let all = try await store.retry(ids: nil, now: WallClock.milliseconds())
            #expect(all.changed == [other])
            #expect(all.skipped == ["job \(blocked): call c3 already has pending job \(newer)"])
            #expect(Set(try await Contract.claim(store, "b").map(\.id)) == [dead, pending, newer, other])
        },
        QueueStoreContractCase("cancel makes pending jobs dead and says why it left others alone") { store in
            let pending = try await Contract.queue(store, "k1", call: "c1")
            _ = try await Contract.claim(store, "a")
            let waiting = try await Contract.queue(store, "k2", call: "c2")
            let inFlight = pending
            let missing = waiting + 1000
            let change = try await store.cancel(ids: [waiting, inFlight, missing, waiting], now: WallClock.milliseconds())
            #expect(change.changed == [waiting])
            #expect(change.skipped == [
                "job \(inFlight): is in_flight, only pending jobs are cancelled",
                "job \(missing): no such job",
                "job \(waiting): is dead, only pending jobs are cancelled",
            ])
            let cancelled = try await Contract.job(store, waiting)
            #expect(cancelled.state == .dead && cancelled.lastError == "cancelled by operator")
            #expect(try await store.retry(ids: [waiting], now: WallClock.milliseconds()).changed == [waiting])
        },
        QueueStoreContractCase("purge deletes done or dead jobs last changed before the cutoff") { store in
            let done = try await Contract.queue(store, "k1", call: "c1")
            let dead = try await Contract.queue(store, "k2", call: "c2")
            _ = try await Contract.claim(store, "a")
            try await Contract.complete(store, [.done(jobID: done, status: 200), .dead(jobID: dead, status: 410, error: "HTTP 410")], owner: "a")
            let pending = try await Contract.queue(store, "k3", call: "c3")
            let now = WallClock.milliseconds()
            #expect(try await store.purge(state: .done, before: now - 600_000) == 0)
            #expect(try await store.purge(state: .done, before: now + 60_000) == 1)
            #expect(try await store.purge(state: .dead, before: now + 60_000) == 1)
            #expect(try await store.job(done) == nil)
            #expect(try await store.job(dead) == nil)
            #expect(try await Contract.job(store, pending).state == .pending)
        },
        QueueStoreContractCase("prune deletes done jobs and old events, but keeps the events unfinished jobs need") { store in
            let done = try await Contract.queue(store, "k1", call: "c1")
            let dead = try await Contract.queue(store, "k2", call: "c2")
            _ = try await Contract.claim(store, "a")
            try await Contract.complete(store, [.done(jobID: done, status: 200), .dead(jobID: dead, status: 400, error: "HTTP 400")], owner: "a")
            let pending = try await Contract.queue(store, "k3", call: "c3")
            _ = try await Contract.commit(store, "k4", call: "c4", outcome: nil, rule: nil)
            let now = WallClock.milliseconds()
            #expect(try await store.prune(olderThan: now - 600_000) == 0)
            #expect(try await store.prune(olderThan: now + 60_000) == 3, "the done job, its event and the no_match event")
            #expect(try await store.job(done) == nil)
            #expect(try await Contract.job(store, dead).state == .dead)
            #expect(try await Contract.job(store, pending).state == .pending)
            #expect(try await Contract.commit(store, "k2", call: "c2").duplicate, "a dead job's event is kept")
            #expect(try await Contract.commit(store, "k3", call: "c3").duplicate, "a pending job's event is kept")
            #expect(try await !Contract.commit(store, "k4", call: "c4", outcome: nil, rule: nil).duplicate, "pruned")
        },
    ]
}
