import Foundation
import Synchronization
import Testing
import TestSupport

/// Two `outcomed serve` processes on one PostgreSQL database (SPEC §10), with the mock
/// upstream answering each PATCH after a delay, as a real one does.
@Suite(.serialized, .timeLimit(.minutes(4)))
struct SeveralInstancesTests {
    /// Two instances on a fresh database, sharing one mock, both started, for `body`.
    static func withPair(
        retry: String = "initial_delay: 100ms\n    max_delay: 1s", rateLimit: Int = 0, apiTimeout: String = "5s",
        _ body: (Daemon, Daemon) async throws -> Void
    ) async throws {
        try await PostgresTestDatabase.withDatabase { database in
            let (a, b) = try await pair(url: database.location, retry: retry, rateLimit: rateLimit, apiTimeout: apiTimeout)
            try await a.start()
            try await b.start()
            try await body(a, b)
        }
    }

    static func pair(url: String, retry: String, rateLimit: Int, apiTimeout: String) async throws -> (Daemon, Daemon) {
        let a = try await Daemon(retry: retry, postgresURL: url, rateLimit: rateLimit)
        let b = try await Daemon(retry: retry, postgresURL: url, sharing: a, rateLimit: rateLimit)
        a.apiTimeout = apiTimeout
        b.apiTimeout = apiTimeout
        for daemon in [a, b] {
            try daemon.writeConfig(server: "", rules: Daemon.rules, maxBody: "64KiB", retry: retry)
        }
        return (a, b)
    }

    @Test func theSameEventPostedToBothAtOnceIsStoredOnce() async throws {
        try await Self.withPair { a, b in
            var outcomes: [String] = []
            for index in 0..<10 {
                let body = Daemon.event("c-twice-\(index)")
                async let first = a.post(body)
                async let second = b.post(body)
                let answers = try await [first, second]
                let statuses = answers.map(\.status).sorted()
                let duplicates = answers.filter { jsonObject($0)["duplicate"] as? Bool == true }.count
                outcomes.append("\(statuses) duplicates \(duplicates)")
                #expect(statuses == [200, 202] && duplicates == 1, "round \(index): \(statuses)")
            }
            print("same event at both instances, ten rounds: \(outcomes)")
            let stats = try await a.queueStats()
            #expect(["pending", "in_flight", "done", "dead"].compactMap { stats[$0] as? Int }.reduce(0, +) == 10, "one job per event: \(stats)")
        }
    }

    @Test func aCallDecidedOnAWhileTheUpstreamIsDownThenOnBIsPatchedOnceWithBsOutcome() async throws {
        try await Self.withPair(retry: "initial_delay: 500ms\n    max_delay: 1s") { a, b in
            try await a.mockMode("down")
            #expect(try await a.post(Daemon.event("c-moved", lead: true)).status == 202)
            try await waitUntil(.seconds(10)) { try await a.mockRequests(callID: "c-moved").count >= 1 }
            #expect(try await b.post(Daemon.event("c-moved", lead: false, chat: "AI: hi\nUser: call me back tomorrow")).status == 202)
            try await a.mockMode("up")
            try await waitUntil(.seconds(15)) { try await a.mockRequests(callID: "c-moved").contains { $0.status == 200 } }
            // Anything still due would show within a retry delay.
            try await Task.sleep(for: .seconds(2))
            let requests = try await a.mockRequests(callID: "c-moved")
            let delivered = requests.filter { $0.status == 200 }
            print("decided on A (interested, upstream down), then on B (callback): \(requests.map { "\($0.status) \($0.outcome ?? "-")" })")
            #expect(delivered.map(\.outcome) == ["callback"], "\(requests)")
        }
    }

    @Test func killingOneInstanceUnderLoadLosesNothingAndNoCallsPatchesOverlap() async throws {
        try await Self.withPair(apiTimeout: "1s") { a, b in
            try await a.mockDelay(milliseconds: 20)
            let outcomes = ["interested", "callback"]
            // Each sender owns its calls and posts to them in turn, so "last decided" is well defined.
            let tally = LoadTally()
            let killer = Task {
                try await Task.sleep(for: .seconds(2))
                a.stop()
                let survivor = ":\(b.serve?.processIdentifier ?? 0):"
                let held = try await b.queueJobs(state: "in_flight").filter { ($0["lease_owner"] as? String)?.contains(survivor) == false }
                tally.heldByTheKilled.store(held.count, ordering: .relaxed)
                try await Task.sleep(for: .seconds(2))
                try await a.start()
            }
            await withTaskGroup(of: Void.self) { group in
                for sender in 0..<8 {
                    group.addTask {
                        var round = 0
                        while !tally.stop.load(ordering: .relaxed), round < 400 {
                            let call = "c-load-\(sender)-\(round % 5)"
                            let lead = round % 2 == 0
                            let target = (sender + round) % 2 == 0 ? a : b
                            let body = Daemon.event(call, lead: lead, chat: lead ? "AI: hello\nUser: hi \(round)" : "AI: hi\nUser: call me back \(round)")
                            if let answer = try? await target.post(body), answer.status == 202 {
                                tally.lastDecided.withLock { $0[call] = outcomes[lead ? 0 : 1] }
                                tally.counts.withLock { $0.accepted += 1 }
                            } else {
                                tally.counts.withLock { $0.refused += 1 }
                            }
                            round += 1
                        }
                    }
                }
                group.addTask {
                    try? await Task.sleep(for: .seconds(6))
                    tally.stop.store(true, ordering: .relaxed)
                }
            }
            try await killer.value
            try await waitUntil(.seconds(60)) {
                let stats = try await b.queueStats()
                return stats["pending"] as? Int == 0 && stats["in_flight"] as? Int == 0
            }
            let last = tally.lastDecided.withLock { $0 }
            let requests = try await a.mockRequests(callID: nil)
            var delivered: [String: String] = [:]
            for request in requests where request.status == 200 { delivered[request.callID] = request.outcome }
            let wrong = last.filter { delivered[$0.key] != $0.value }
            let stats = try await a.mockStats()
            let (sent, refused) = tally.counts.withLock { ($0.accepted, $0.refused) }
            print("kill -9 under load: \(sent) events accepted, \(refused) refused while A was down, \(last.count) calls, \(requests.count) PATCHes, \(tally.heldByTheKilled.load(ordering: .relaxed)) jobs in flight under the killed instance's leases, \(wrong.count) calls not PATCHed as last decided, overlaps \(stats["overlaps"] ?? "?")")
            #expect(sent > 100)
            #expect(wrong.isEmpty, "\(wrong) delivered \(wrong.keys.map { delivered[$0] ?? "nothing" })")
            #expect(stats["overlaps"] as? Int == 0)
        }
    }

    @Test func theRateLimitIsTheTotalAcrossInstances() async throws {
        try await Self.withPair(rateLimit: 10) { a, b in
            // Both have seen each other's heartbeat before the traffic comes.
            try await Task.sleep(for: .seconds(2))
            for index in 0..<70 {
                let target = index % 2 == 0 ? a : b
                #expect(try await target.post(Daemon.event("c-rate-\(index)")).status == 202)
            }
            try await waitUntil(.seconds(30)) { try await a.mockRequests(callID: nil).filter { $0.status == 200 }.count >= 70 }
            let times = try await a.mockRequests(callID: nil).filter { $0.status == 200 }.map(\.at).sorted()
            // The first second holds what the buckets held at the start; the rate is what follows.
            let steady = times.filter { $0 >= times[0] + 1 }
            let rate = Double(steady.count - 1) / ((steady.last ?? 0) - (steady.first ?? 0))
            print("rate_limit 10 on each of two instances: \(times.count) PATCHes, steady \(String(format: "%.1f", rate))/s at the upstream")
            #expect(rate > 8 && rate < 12.5, "the upstream saw \(rate) PATCHes a second")
        }
    }

    @Test func aSigtermedInstanceHandsBackItsJobsAndExitsZero() async throws {
        try await Self.withPair(apiTimeout: "10s") { a, b in
            b.signal(SIGTERM)
            #expect(try await b.waitForExit(timeout: .seconds(15)) == 0)
            // A PATCH in flight when the stop comes: A holds it for 3 s, then stops.
            try await a.mockDelay(milliseconds: 3000)
            #expect(try await a.post(Daemon.event("c-draining")).status == 202)
            try await waitUntil(.seconds(10)) { try await a.mockRequests(callID: "c-draining").count == 1 }
            a.signal(SIGTERM)
            #expect(try await a.waitForExit(timeout: .seconds(20)) == 0, "\(a.log.suffix(1500))")
            #expect(a.log.contains("event=stopped"))
            // Drained, not abandoned: the answer came within the drain time and was recorded.
            let stats = try await a.queueStats()
            #expect(stats["done"] as? Int == 1 && stats["in_flight"] as? Int == 0, "\(stats)")
        }
    }

    /// What the senders of the load test saw: the outcome each call was last decided as (by a
    /// 202), how many events were accepted and refused, and when to stop.
    final class LoadTally: Sendable {
        let lastDecided = Mutex([String: String]())
        let counts = Mutex((accepted: 0, refused: 0))
        let stop = Atomic<Bool>(false)
        /// Jobs in flight under the killed instance's leases just after the kill.
        let heldByTheKilled = Atomic<Int>(0)
    }
}
