import PostgresNIO

/// What the `queue` commands read and change.
extension PostgresQueueStore {
    /// Counts by state, and the age of the oldest pending job by the database's clock.
    public func stats(now: Int64) async throws -> QueueStats {
        try await withSession { session in
            guard let row = try await session.execute("""
                SELECT count(*) FILTER (WHERE state = 'pending'), count(*) FILTER (WHERE state = 'in_flight'),
                       count(*) FILTER (WHERE state = 'done'), count(*) FILTER (WHERE state = 'dead'),
                       min(created_at) FILTER (WHERE state = 'pending'), \(unescaped: PostgresSession.now)
                FROM jobs
                """).first else { throw PostgresStoreFailure.missingRow }
            let (pending, inFlight, done, dead, oldest, databaseNow) = try row.decode((Int, Int, Int, Int, Int64?, Int64).self)
            let age = oldest.map { max(0, Double(databaseNow - $0) / 1000) } ?? 0
            return QueueStats(pending: pending, inFlight: inFlight, done: done, dead: dead, oldestPendingAgeSeconds: age)
        }
    }

    /// Jobs, newest first, optionally of one state and one call.
    public func list(state: JobState?, callID: String?, limit: Int) async throws -> [Job] {
        var conditions: [String] = []
        var binds = PostgresBindings()
        if let state {
            binds.append(state.rawValue)
            conditions.append("state = $\(binds.count)")
        }
        if let callID {
            binds.append(callID)
            conditions.append("call_id = $\(binds.count)")
        }
        binds.append(limit)
        let filter = conditions.isEmpty ? "" : "WHERE " + conditions.joined(separator: " AND ")
        let query = PostgresQuery(unsafeSQL: "SELECT \(Job.postgresColumns) FROM jobs \(filter) ORDER BY id DESC LIMIT $\(binds.count)", binds: binds)
        return try await withSession { session in
            try await session.execute(query).map(Job.init(postgresRow:))
        }
    }

    /// One job by id.
    public func job(_ id: Int64) async throws -> Job? {
        try await withSession { session in
            try await session.execute("SELECT \(unescaped: Job.postgresColumns) FROM jobs WHERE id = \(id)").first.map(Job.init(postgresRow:))
        }
    }

    /// Puts dead jobs back to pending with their attempts reset: the given ones, or every dead
    /// job when `ids` is nil. A job whose call already has a pending job is skipped.
    public func retry(ids: [Int64]?, now: Int64) async throws -> OperatorChange {
        try await withSession { session in
            try await session.transaction {
                let locked: [Job]
                if let ids {
                    locked = try await session.execute("""
                        SELECT \(unescaped: Job.postgresColumns) FROM jobs WHERE id = ANY(\(ids)) ORDER BY call_id, id FOR UPDATE
                        """).map(Job.init(postgresRow:))
                } else {
                    locked = try await session.execute("""
                        SELECT \(unescaped: Job.postgresColumns) FROM jobs WHERE state = 'dead' ORDER BY call_id, id FOR UPDATE
                        """).map(Job.init(postgresRow:))
                }
                var order: [Int64: Int] = [:]
                for (position, job) in locked.enumerated() { order[job.id] = position }
                let candidates = locked.sorted { $0.id < $1.id }
                var missing = OperatorChange()
                for id in ids ?? [] where !candidates.contains(where: { $0.id == id }) {
                    missing.skipped.append("job \(id): no such job")
                }
                return try await session.redoingOnUniqueViolation {
                    var change = missing
                    var pending: [String: Int64] = [:]
                    for row in try await session.execute("""
                        SELECT call_id, id FROM jobs WHERE state = 'pending' AND call_id = ANY(\(Array(Set(candidates.map(\.callID)))))
                        """) {
                        let (callID, id) = try row.decode((String, Int64).self)
                        pending[callID] = id
                    }
                    for job in candidates {
                        guard job.state == .dead else {
                            change.skipped.append("job \(job.id): is \(job.state.rawValue), only dead jobs are retried")
                            continue
                        }
                        if let other = pending[job.callID] {
                            change.skipped.append("job \(job.id): call \(job.callID) already has pending job \(other)")
                            continue
                        }
                        pending[job.callID] = job.id
                        change.changed.append(job.id)
                    }
                    // One at a time in call order, the order in which every writer takes a call's pending slot.
                    let now = try await session.databaseNow()
                    for job in candidates.sorted(by: { order[$0.id] ?? 0 < order[$1.id] ?? 0 }) where change.changed.contains(job.id) {
                        try await session.execute("""
                            UPDATE jobs SET state = 'pending', attempts = 0, next_attempt_at = \(now), created_at = \(now), last_error = NULL, updated_at = \(now)
                            WHERE id = \(job.id)
                            """)
                    }
                    return change
                }
            }
        }
    }

    /// Cancels pending jobs: they become dead with `cancelled by operator`, and can be retried.
    public func cancel(ids: [Int64], now: Int64) async throws -> OperatorChange {
        try await withSession { session in
            try await session.transaction {
                var states: [Int64: JobState] = [:]
                for row in try await session.execute("SELECT id, state FROM jobs WHERE id = ANY(\(ids)) ORDER BY call_id FOR UPDATE") {
                    let (id, state) = try row.decode((Int64, String).self)
                    states[id] = JobState(rawValue: state) ?? .dead
                }
                var change = OperatorChange()
                for id in ids {
                    guard let state = states[id] else {
                        change.skipped.append("job \(id): no such job")
                        continue
                    }
                    guard state == .pending else {
                        change.skipped.append("job \(id): is \(state.rawValue), only pending jobs are cancelled")
                        continue
                    }
                    states[id] = .dead
                    change.changed.append(id)
                }
                if !change.changed.isEmpty {
                    try await session.execute("""
                        UPDATE jobs SET state = 'dead', last_error = 'cancelled by operator', updated_at = \(unescaped: PostgresSession.now)
                        WHERE id = ANY(\(change.changed)) AND state = 'pending'
                        """)
                }
                return change
            }
        }
    }

    /// Deletes done or dead jobs last changed before `cutoff`; returns how many.
    public func purge(state: JobState, before cutoff: Int64) async throws -> Int {
        try await withSession { session in
            try await session.value("""
                WITH purged AS (DELETE FROM jobs WHERE state = \(state.rawValue) AND updated_at < \(cutoff) RETURNING 1)
                SELECT count(*) FROM purged
                """)
        }
    }
}
