import NIOCore
import OutcomeEngine
import PostgresNIO

/// Intake: events and the jobs they queue, committed in groups.
extension PostgresQueueStore {
    /// Commits records in one statement, a procedure that commits before it answers: each event
    /// is stored and its decision queued, or found to be a duplicate, also of an event another
    /// instance stores at the same moment. Waits for a connection, a lock or a statement at most
    /// until `deadline`. A handoff that meets a call another instance put in flight meanwhile is
    /// given up, and the batch committed with its jobs pending.
    ///
    /// An answer means committed. A failure means nothing was written, except when the
    /// connection broke, or the server failed the call, after its `COMMIT`: then the batch is
    /// stored (a retry is its duplicate), and the jobs it handed off wait under this instance's
    /// lease until it ends and another instance, or this one after a restart, takes them.
    public func commit(_ records: [IntakeRecord], now: Int64, deadline: ContinuousClock.Instant?, handoff: IntakeHandoff?) async throws -> IntakeCommit {
        guard !records.isEmpty else { return IntakeCommit(receipts: []) }
        let deadline = deadline ?? .now + busyTimeout
        return try await withSession(until: deadline) { session in
            var tries = 1
            var handoff = handoff
            while true {
                let remaining = deadline - .now
                guard remaining > .zero else { throw PostgresStoreFailure.deadlinePassed }
                do {
                    return try await Self.record(records, handoff: handoff, waitingAtMost: remaining, in: session)
                } catch let error as PSQLError where error.sqlState == IntakeStatement.concurrentDuplicate {
                    guard tries < PostgresSession.redoLimit else { throw PostgresStoreFailure.concurrentDuplicate }
                    tries += 1
                } catch let error as PSQLError where error.isUniqueViolation && handoff != nil {
                    handoff = nil
                }
            }
        }
    }

    /// Stores and commits a batch in one statement (`IntakeStatement`), whatever its size, and
    /// answers each record: stored, or a duplicate of an event stored before or earlier in it.
    static func record(
        _ records: [IntakeRecord], handoff: IntakeHandoff?, waitingAtMost limit: Duration, in session: PostgresSession
    ) async throws -> IntakeCommit {
        let queued = records.map { $0.queuedOutcome != nil }
        let (lockTimeout, statementTimeout) = PostgresSession.settings(limitingWaitsTo: limit)
        let statement = IntakeStatement(lockTimeout: lockTimeout, statementTimeout: statementTimeout, records: records, queued: queued, handoff: handoff)
        guard let row = try await session.execute(statement).first else { throw PostgresStoreFailure.missingRow }
        let (freshOrdinals, eventIDs, queuedCalls, jobIDs, storedKeys, storedIDs, storedResponses, handedIDs, databaseNow) = row

        var jobOfCall: [String: Int64] = [:]
        for (call, id) in zip(queuedCalls, jobIDs) { jobOfCall[call] = id }
        var receipts = [IntakeReceipt?](repeating: nil, count: records.count)
        for (ordinal, eventID) in zip(freshOrdinals, eventIDs) {
            let index = Int(ordinal) - 1
            let record = records[index]
            let jobID = queued[index] ? jobOfCall[record.callID] : nil
            receipts[index] = IntakeReceipt(eventID: eventID, jobID: jobID, duplicate: false, response: record.response(eventID: eventID, jobID: jobID))
        }
        // A handed-off job carries the last decision of its call in the batch, as any queued job.
        let handed = Set(handedIDs)
        var lastRecordOfJob: [Int64: (index: Int, eventID: Int64)] = [:]
        for index in records.indices {
            guard let jobID = receipts[index]?.jobID, handed.contains(jobID), let eventID = receipts[index]?.eventID else { continue }
            receipts[index]?.handedOff = true
            lastRecordOfJob[jobID] = (index, eventID)
        }
        let handedOff = handedIDs.compactMap { id -> Job? in
            guard let (index, eventID) = lastRecordOfJob[id], let handoff else { return nil }
            let decision = records[index].decision
            return Job(
                id: id, callID: records[index].callID, outcome: decision.outcome ?? "", rule: decision.rule, eventID: eventID, state: .inFlight,
                attempts: 0, nextAttemptAt: databaseNow, lastStatus: nil, lastError: nil, createdAt: databaseNow, updatedAt: databaseNow,
                leaseOwner: handoff.owner, leaseExpiresAt: databaseNow + handoff.leaseMillis
            )
        }
        var firstOfKey: [String: IntakeReceipt] = [:]
        for (key, (id, response)) in zip(storedKeys, zip(storedIDs, storedResponses)) {
            firstOfKey[key] = IntakeReceipt(eventID: id, jobID: nil, duplicate: true, response: response)
        }
        let answers = records.indices.map { index in
            let key = records[index].idempotencyKey
            if let receipt = receipts[index] {
                firstOfKey[key] = receipt
                return receipt
            }
            var first = firstOfKey[key] ?? IntakeReceipt(eventID: 0, jobID: nil, duplicate: true, response: "")
            first.jobID = nil
            first.duplicate = true
            first.handedOff = false
            return first
        }
        return IntakeCommit(receipts: answers, handedOff: handedOff)
    }
}

fileprivate extension IntakeRecord {
    /// The outcome to send when the decision is queued.
    var queuedOutcome: String? {
        decision.action == .queued ? decision.outcome : nil
    }
}
