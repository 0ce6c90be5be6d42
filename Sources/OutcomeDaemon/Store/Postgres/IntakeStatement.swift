import NIOCore
import PostgresNIO

/// Intake's one statement, prepared once per connection and run as its own transaction: it
/// stores a batch's events and queues their decisions. The first record of an idempotency key
/// is stored, later ones are its duplicates; a call's queued decisions go to one job, which
/// takes the last of them (one call, one line). Jobs are written before events, each in key
/// order, so that concurrent commits lock rows in one order. The wait limits are set first,
/// before any row is locked.
///
/// Up to the handoff's limit of new jobs whose call has nothing pending or in flight, and comes
/// once in the batch, go straight in flight, leased to its owner (`IntakeHandoff`); listeners
/// are notified only of pending ones.
///
/// When another session stored one of the keys after the statement looked, the statement fails
/// with `concurrentDuplicate` and writes nothing; run again, it finds that event. When another
/// session put a handed-off job's call in flight meanwhile, it fails with a unique violation and
/// writes nothing.
///
/// Its one row: nothing, and whether listeners were notified (both only make the CTEs run), the
/// records' ordinals (from 1) and event ids of the stored events, the calls and ids of the
/// queued jobs, the keys, ids and responses of the events stored before, the ids of the jobs
/// handed off, and the database's clock.
struct IntakeStatement: PostgresPreparedStatement {
    static let name = "outcomed_intake_2"

    static let sql = """
        WITH settings AS MATERIALIZED (
            SELECT set_config('lock_timeout', $1, true), set_config('statement_timeout', $2, true),
                   \(PostgresSession.now) AS now
        ), input AS MATERIALIZED (
            SELECT settings.now, r.* FROM settings CROSS JOIN
                unnest($3::text[], $4::text[], $5::bytea[], $6::text[], $7::text[], $8::text[], $9::text[], $10::boolean[], $11::boolean[], $15::boolean[])
            WITH ORDINALITY AS r(idempotency_key, call_id, body, head, tail, outcome, rule, has_rule, queued, alone, n)
        ), stored AS MATERIALIZED (
            SELECT e.idempotency_key, e.id, e.response FROM events e WHERE e.idempotency_key = ANY(ARRAY(SELECT idempotency_key FROM input))
        ), fresh AS MATERIALIZED (
            SELECT first.*, nextval('events_id_seq') AS event_id FROM (
                SELECT DISTINCT ON (i.idempotency_key) i.* FROM input i
                WHERE NOT EXISTS (SELECT FROM stored WHERE stored.idempotency_key = i.idempotency_key)
                ORDER BY i.idempotency_key, i.n
            ) first
            ORDER BY first.n
        ), decided AS MATERIALIZED (
            SELECT last.*, nextval('jobs_id_seq') AS job_id FROM (
                SELECT DISTINCT ON (f.call_id) f.now, f.call_id, f.outcome, f.rule, f.has_rule, f.event_id, f.alone, min(f.n) OVER (PARTITION BY f.call_id) AS first_n
                FROM fresh f WHERE f.queued
                ORDER BY f.call_id, f.n DESC
            ) last
            ORDER BY last.first_n
        ), handed AS MATERIALIZED (
            SELECT d.job_id FROM decided d
            WHERE d.alone AND NOT EXISTS (SELECT FROM jobs j WHERE j.call_id = d.call_id AND j.state = 'pending')
              AND NOT EXISTS (SELECT FROM jobs j WHERE j.call_id = d.call_id AND j.state = 'in_flight')
            ORDER BY d.first_n
            LIMIT $13
        ), queued AS (
            INSERT INTO jobs (id, call_id, outcome, rule, event_id, state, attempts, next_attempt_at, created_at, updated_at, lease_owner, lease_expires_at)
            SELECT d.job_id, d.call_id, d.outcome, CASE WHEN d.has_rule THEN d.rule END, d.event_id,
                   CASE WHEN h.job_id IS NULL THEN 'pending' ELSE 'in_flight' END, 0, d.now, d.now, d.now,
                   CASE WHEN h.job_id IS NOT NULL THEN $12 END, CASE WHEN h.job_id IS NOT NULL THEN d.now + $14 END
            FROM decided d LEFT JOIN handed h ON h.job_id = d.job_id
            ORDER BY d.call_id
            ON CONFLICT (call_id) WHERE state = 'pending' DO UPDATE
            SET outcome = excluded.outcome, rule = excluded.rule, event_id = excluded.event_id,
                created_at = excluded.created_at, updated_at = excluded.updated_at
            RETURNING id, call_id, state
        ), inserted AS (
            INSERT INTO events (id, idempotency_key, call_id, received_at, body, response)
            SELECT f.event_id, f.idempotency_key, f.call_id, f.now, f.body,
                   f.head || f.event_id || ',"job_id":' || coalesce(q.id::text, 'null') || f.tail
            FROM fresh f LEFT JOIN queued q ON f.queued AND q.call_id = f.call_id
            ORDER BY f.idempotency_key
            ON CONFLICT (idempotency_key) DO NOTHING
            RETURNING id
        ), notified AS MATERIALIZED (
            SELECT pg_notify('\(PostgresQueueStore.notificationChannel)', '') FROM (SELECT FROM queued WHERE state = 'pending' LIMIT 1) any_pending
        )
        SELECT CASE WHEN (SELECT count(*) FROM inserted) <> (SELECT count(*) FROM fresh)
                    THEN outcomed_abort('\(Self.concurrentDuplicate)', 'an event of this batch was stored by another session meanwhile')
               END, (SELECT count(*) FROM notified),
               ARRAY(SELECT n FROM fresh ORDER BY n), ARRAY(SELECT event_id FROM fresh ORDER BY n),
               ARRAY(SELECT call_id FROM queued), ARRAY(SELECT id FROM queued),
               ARRAY(SELECT idempotency_key FROM stored), ARRAY(SELECT id FROM stored), ARRAY(SELECT response FROM stored),
               ARRAY(SELECT id FROM queued WHERE state = 'in_flight'), (SELECT now FROM settings)
        """

    /// The SQLSTATE of a batch that met a key stored meanwhile: PostgreSQL's "serialization
    /// failure", the usual sign that a transaction should simply be run again.
    static let concurrentDuplicate = "40001"

    typealias Row = (Int64?, Int64, [Int64], [Int64], [String], [Int64], [String], [Int64], [String], [Int64], Int64)

    var lockTimeout: String
    var statementTimeout: String
    var records: [IntakeRecord]
    var queued: [Bool]
    /// Room for jobs to go in flight at once; nil for none.
    var handoff: IntakeHandoff?

    func makeBindings() throws -> PostgresBindings {
        let rules = records.map(\.decision.rule)
        var bindings = PostgresBindings(capacity: 15)
        bindings.append(lockTimeout)
        bindings.append(statementTimeout)
        bindings.append(records.map(\.idempotencyKey))
        bindings.append(records.map(\.callID))
        bindings.append(records.map { ByteBuffer(bytes: $0.body) })
        bindings.append(records.map(\.responseHead))
        bindings.append(records.map(\.responseTail))
        bindings.append(zip(records, queued).map { $1 ? $0.decision.outcome ?? "" : "" })
        bindings.append(rules.map { $0 ?? "" })
        bindings.append(rules.map { $0 != nil })
        bindings.append(queued)
        bindings.append(handoff?.owner ?? "")
        bindings.append(Int64(handoff?.limit ?? 0))
        bindings.append(handoff?.leaseMillis ?? 0)
        bindings.append(handoff == nil ? records.map { _ in false } : records.callsAlone)
        return bindings
    }

    func decodeRow(_ row: PostgresRow) throws -> Row {
        try row.decode(Row.self)
    }
}
