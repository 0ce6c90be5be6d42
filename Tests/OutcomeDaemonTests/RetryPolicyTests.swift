import Foundation
import Testing
@testable import OutcomeDaemon

struct RetryPolicyTests {
    static var policy: RetryPolicy {
        var config = RetryConfig()
        config.initialDelay = .seconds(2)
        config.maxDelay = .seconds(600)
        config.maxAttempts = 12
        config.maxAge = .seconds(86400)
        return RetryPolicy(config)
    }

    @Test(arguments: [
        (200, RetryPolicy.Classification.success), (204, .success), (401, .unauthorized), (403, .unauthorized),
        (408, .retryable), (425, .retryable), (429, .retryable), (500, .retryable), (502, .retryable), (503, .retryable),
        (599, .retryable), (400, .permanent), (404, .permanent), (409, .permanent), (422, .permanent), (301, .permanent),
    ])
    func classifiesStatuses(status: Int, expected: RetryPolicy.Classification) {
        #expect(RetryPolicy.classify(status: status) == expected)
    }

    @Test func aMissingResponseIsRetryable() {
        #expect(RetryPolicy.classify(status: nil) == .retryable)
    }

    @Test(arguments: [
        (1, 0.5, Duration.seconds(2)), (2, 0.5, .seconds(4)), (3, 0.5, .seconds(8)), (10, 0.5, .seconds(600)),
        (40, 0.5, .seconds(600)), (1, 0.0, .milliseconds(1600)), (1, 1.0, .milliseconds(2400)), (10, 1.0, .seconds(720)),
    ])
    func backoffDoublesUpToTheMaximumWithTwentyPercentJitter(attempts: Int, random: Double, expected: Duration) {
        let delay = Self.policy.delay(afterAttempts: attempts, retryAfter: nil, random: random)
        #expect(abs((delay - expected).seconds) < 0.001)
    }

    @Test func theLongestConfiguredDelaysDoNotOverflow() {
        var config = RetryConfig()
        config.initialDelay = YAMLReader.maxDuration
        config.maxDelay = YAMLReader.maxDuration
        let delay = RetryPolicy(config).delay(afterAttempts: 41, retryAfter: .seconds(Int64.max), random: 1)
        #expect(delay == .milliseconds(YAMLReader.maxDuration.milliseconds * 6 / 5))
    }

    @Test(arguments: [
        (Duration.seconds(30), Duration.seconds(30)), (.seconds(1), .seconds(2)), (.seconds(7200), .seconds(3600)),
    ])
    func aLongerRetryAfterWinsUpToAnHour(retryAfter: Duration, expected: Duration) {
        let delay = Self.policy.delay(afterAttempts: 1, retryAfter: retryAfter, random: 0.5)
        #expect(delay == expected)
    }

    @Test func retryAfterParsesSecondsAndHTTPDates() {
        let now = Date(timeIntervalSince1970: 1_795_550_400)
        #expect(RetryPolicy.parseRetryAfter("120", now: now) == .seconds(120))
        #expect(RetryPolicy.parseRetryAfter(" 2 ", now: now) == .seconds(2))
        #expect(RetryPolicy.parseRetryAfter("Tue, 24 Nov 2026 20:01:00 GMT", now: now) == .seconds(60))
        #expect(RetryPolicy.parseRetryAfter("soon", now: now) == nil)
        #expect(RetryPolicy.parseRetryAfter("-5", now: now) == nil)
    }

    @Test func exhaustionByAttemptsOrAge() {
        let policy = Self.policy
        #expect(!policy.isExhausted(attempts: 11, createdAt: 0, now: 1000))
        #expect(policy.isExhausted(attempts: 12, createdAt: 0, now: 1000))
        #expect(policy.isExhausted(attempts: 1, createdAt: 0, now: 86_400_000))
        #expect(!policy.isExhausted(attempts: 1, createdAt: 0, now: 86_399_999))
    }
}

struct CircuitBreakerTests {
    @Test func fiveFailuresOpenItForFiveSecondsThenOneProbe() {
        var breaker = CircuitBreaker(maxPause: .seconds(600))
        for time in 0..<4 { #expect(breaker.recordFailure(now: Int64(time)) == nil) }
        #expect(breaker.permit(now: 4) == .proceed)
        #expect(breaker.recordFailure(now: 10) == .opened(.failures, pause: .seconds(5)))
        #expect(breaker.permit(now: 5009) == .wait(until: 5010))
        #expect(breaker.permit(now: 5010) == .probe)
        breaker.startProbe()
        if case .wait = breaker.permit(now: 5011) {} else { Issue.record("a second request started while probing") }
        #expect(breaker.recordSuccess() == .closed)
        #expect(breaker.permit(now: 5012) == .proceed)
    }

    @Test func thePauseDoublesUpToTheMaximumWhileProbesFail() {
        var breaker = CircuitBreaker(maxPause: .seconds(12))
        for _ in 0..<5 { _ = breaker.recordFailure(now: 0) }
        var time: Int64 = 5000
        for expected in [10, 12, 12] {
            #expect(breaker.permit(now: time) == .probe)
            breaker.startProbe()
            #expect(breaker.recordFailure(now: time) == .opened(.failures, pause: .seconds(expected)))
            time += Int64(expected) * 1000
        }
    }

    @Test func aSuccessResetsTheCount() {
        var breaker = CircuitBreaker(maxPause: .seconds(600))
        for _ in 0..<4 { _ = breaker.recordFailure(now: 0) }
        _ = breaker.recordSuccess()
        for _ in 0..<4 { #expect(breaker.recordFailure(now: 0) == nil) }
        #expect(!breaker.isOpen)
    }

    @Test func aRefusedTokenPausesForTheMaximumAndProbesOncePerMaximum() {
        var breaker = CircuitBreaker(maxPause: .seconds(60))
        #expect(breaker.recordUnauthorized(now: 0) == .opened(.unauthorized, pause: .seconds(60)))
        #expect(breaker.recordUnauthorized(now: 1) == nil)
        #expect(breaker.permit(now: 59_000) == .wait(until: 60_001))
        #expect(breaker.permit(now: 60_001) == .probe)
        breaker.startProbe()
        #expect(breaker.recordUnauthorized(now: 60_100) == nil)
        #expect(breaker.permit(now: 60_200) == .wait(until: 120_100))
        #expect(breaker.reason == .unauthorized)
    }
}

struct TokenBucketTests {
    @Test func unlimitedWhenTheRateIsZero() {
        var bucket = TokenBucket(rate: 0)
        #expect(bucket.take(1000, now: 0) == 1000)
    }

    @Test func startsFullAndRefillsAtTheRate() {
        var bucket = TokenBucket(rate: 20)
        #expect(bucket.take(50, now: 0) == 20)
        #expect(bucket.take(1, now: 0) == 0)
        #expect(bucket.nextTokenAt(now: 0) == 50)
        #expect(bucket.take(5, now: 100) == 2)
        bucket.giveBack(1)
        #expect(bucket.take(5, now: 100) == 1)
        #expect(bucket.take(100, now: 10_000) == 20)
    }

    @Test func aNewShareKeepsTheTokensHeldAndIsNoBurst() {
        var bucket = TokenBucket(rate: 10)
        #expect(bucket.take(8, now: 0) == 8)
        // A second instance appears: this one's share is 5/s, and it holds the 2 tokens it had.
        var half = bucket.withRate(5, now: 0)
        #expect(half.take(10, now: 0) == 2)
        #expect(half.nextTokenAt(now: 0) == 200)
        #expect(half.take(10, now: 10_000) == 5, "capacity is the new rate")
        // The other instance leaves: the whole rate again, from what is held, not a full bucket.
        var whole = half.withRate(10, now: 10_000)
        #expect(whole.take(20, now: 10_000) == 0)
        #expect(whole.take(20, now: 10_500) == 5)
        #expect(TokenBucket(rate: 0).withRate(4, now: 0).capacity == 4)
    }
}
