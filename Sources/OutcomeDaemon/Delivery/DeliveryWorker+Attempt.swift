import Foundation
import Synchronization
import Logging
import OutcomeEngine

/// One attempt: the PATCH, and what its answer means for the job, the circuit and the logs (SPEC §4).
extension DeliveryWorker {
    func attempt(_ job: Job, settings: DeliverySettings) async -> Attempt {
        if settings.dryRun { return .dryRun }
        let body = JSONValue.object(["call_outcome": .string(job.outcome)]).serialized()
        let request = CurlClient.Request(
            method: "PATCH",
            url: settings.url(forCall: job.callID),
            headers: [
                "Authorization: Bearer \(settings.token)",
                "Content-Type: application/json",
                "Accept: application/json",
                "User-Agent: outcomed/\(OutcomedVersion.current)",
            ],
            body: Array(body.utf8),
            timeout: settings.timeout
        )
        do {
            var response = try await client.send(request)
            // Redacted whole, before record() keeps its first 512 bytes, so no token is cut in half.
            if !(200..<300).contains(response.status) {
                response.body = CredentialRedactor(token: settings.token).redact(response.body)
            }
            return .response(response)
        } catch let error as TransportError {
            return .transport(error)
        } catch {
            return .cancelled
        }
    }

    func record(_ completion: Completion, settings: DeliverySettings, scheduler: inout DeliveryScheduler, now: Int64) -> JobResult {
        let job = completion.job
        let attemptNumber = job.attempts + 1
        var metadata: Logger.Metadata = ["call_id": "\(job.callID)", "job_id": "\(job.id)", "outcome": "\(job.outcome)", "attempt": "\(attemptNumber)"]
        let status: Int?
        let failure: String
        let retryAfter: Duration?
        switch completion.attempt {
        case .cancelled:
            return .release(jobID: job.id, status: nil, error: "interrupted by shutdown", nextAttemptAt: now)
        case .paused:
            return .release(jobID: job.id, status: nil, error: "not sent: delivery paused by the circuit breaker", nextAttemptAt: now)
        case .dryRun:
            OutcomedMetrics.delivery(result: "done", status: nil, duration: nil)
            metadata["event"] = "would_patch"
            logger.info("would_patch", metadata: metadata)
            return .done(jobID: job.id, status: nil)
        case .transport(let error):
            status = nil
            failure = error.description
            retryAfter = nil
            metadata["error"] = "\(error.description)"
        case .response(let response):
            status = response.status
            metadata["status"] = "\(response.status)"
            metadata["duration_ms"] = "\(Self.format(response.duration.seconds * 1000))"
            switch RetryPolicy.classify(status: response.status) {
            case .success:
                note(scheduler.recordSuccess())
                OutcomedMetrics.delivery(result: "done", status: response.status, duration: response.duration)
                metadata["event"] = "delivered"
                logger.info("delivered", metadata: metadata)
                if let sent = Self.returnedOutcome(response.body), sent != job.outcome {
                    logger.warning("upstream kept another outcome", metadata: metadata.merging(["event": "delivered", "returned_outcome": "\(sent)"]) { $1 })
                }
                return .done(jobID: job.id, status: response.status)
            case .unauthorized:
                note(scheduler.recordUnauthorized())
                OutcomedMetrics.delivery(result: "retry", status: response.status, duration: response.duration)
                metadata["event"] = "circuit_open"
                logger.error("the upstream refused the token; delivery paused", metadata: metadata)
                return .release(jobID: job.id, status: response.status, error: "HTTP \(response.status): token refused", nextAttemptAt: now)
            case .permanent:
                note(scheduler.recordSuccess())
                OutcomedMetrics.delivery(result: "dead", status: response.status, duration: response.duration)
                let excerpt = "HTTP \(response.status): " + String(decoding: response.body.prefix(512), as: UTF8.self)
                metadata["event"] = "dead_lettered"
                metadata["error"] = "\(excerpt)"
                logger.error("dead_lettered", metadata: metadata)
                return .dead(jobID: job.id, status: response.status, error: excerpt)
            case .retryable:
                failure = "HTTP \(response.status): " + String(decoding: response.body.prefix(512), as: UTF8.self)
                retryAfter = response.retryAfter.flatMap { RetryPolicy.parseRetryAfter($0, now: Date(timeIntervalSince1970: Double(now) / 1000)) }
            }
        }
        note(scheduler.recordFailure())
        let duration: Duration? = if case .response(let response) = completion.attempt { response.duration } else { nil }
        if settings.retry.isExhausted(attempts: attemptNumber, createdAt: job.createdAt, now: now) {
            OutcomedMetrics.delivery(result: "dead", status: status, duration: duration)
            metadata["event"] = "dead_lettered"
            metadata["error"] = "\(failure)"
            logger.error("dead_lettered", metadata: metadata)
            return .dead(jobID: job.id, status: status, error: "gave up after \(attemptNumber) attempts: \(failure)")
        }
        OutcomedMetrics.delivery(result: "retry", status: status, duration: duration)
        let delay = settings.retry.delay(afterAttempts: attemptNumber, retryAfter: retryAfter, random: random())
        metadata["event"] = "retry_scheduled"
        metadata["retry_in_s"] = "\(Self.format(delay.seconds))"
        logger.warning("retry_scheduled", metadata: metadata)
        return .retry(jobID: job.id, status: status, error: failure, nextAttemptAt: now + delay.milliseconds)
    }

    func note(_ transition: CircuitBreaker.Transition?) {
        switch transition {
        case .opened(let reason, let pause):
            circuitOpen.store(true, ordering: .relaxed)
            OutcomedMetrics.circuit(open: true)
            logger.error("circuit_open", metadata: ["event": "circuit_open", "reason": "\(reason.rawValue)", "pause_s": "\(Self.format(pause.seconds))"])
        case .closed:
            circuitOpen.store(false, ordering: .relaxed)
            OutcomedMetrics.circuit(open: false)
            logger.notice("circuit_closed", metadata: ["event": "circuit_closed"])
        case nil:
            break
        }
    }

    static func returnedOutcome(_ body: [UInt8]) -> String? {
        guard let value = try? JSONParser().parse(body) else { return nil }
        return value["data"]?["call_outcome"]?.stringValue
    }

    /// One decimal place, as the log keys `duration_ms` and `retry_in_s` carry.
    static func format(_ value: Double) -> String {
        let tenths = Int((value * 10).rounded())
        return "\(tenths / 10).\(abs(tenths % 10))"
    }
}
