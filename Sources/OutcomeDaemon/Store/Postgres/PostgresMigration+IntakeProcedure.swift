/// Intake's procedure (schema version 6): the statement that `IntakeStatement` ran before, in a
/// procedure that commits before it returns. PostgresNIO ends a statement at CommandComplete,
/// which the server sends before an implicit transaction commits; a procedure's `COMMIT` has
/// flushed the WAL before the procedure answers, so its answer means committed, and intake no
/// longer needs a second round trip (`SELECT 1`) to know.
///
/// Frozen like every step: its text spells out the database clock (`PostgresSession.now`), the
/// notification channel and the SQLSTATE of a concurrent duplicate
/// (`IntakeStatement.concurrentDuplicate`) instead of reading them. A later change is a new
/// procedure under a new name, as instances of this version may still be calling this one. The
/// procedure must keep `COMMIT` outside any `EXCEPTION` block and carry no `SET` clause nor
/// `SECURITY DEFINER`: each makes the server refuse its `COMMIT`.
extension PostgresMigration {
    static let intakeProcedure = """
        CREATE PROCEDURE outcomed_intake(
            in_lock_timeout TEXT, in_statement_timeout TEXT, in_keys TEXT[], in_calls TEXT[], in_bodies BYTEA[], in_heads TEXT[],
            in_tails TEXT[], in_outcomes TEXT[], in_rules TEXT[], in_has_rules BOOLEAN[], in_queued BOOLEAN[], in_owner TEXT,
            in_handoff_limit BIGINT, in_lease BIGINT, in_alone BOOLEAN[],
            INOUT out_fresh_ordinals BIGINT[] DEFAULT NULL, INOUT out_event_ids BIGINT[] DEFAULT NULL,
            INOUT out_queued_calls TEXT[] DEFAULT NULL, INOUT out_job_ids BIGINT[] DEFAULT NULL,
            INOUT out_stored_keys TEXT[] DEFAULT NULL, INOUT out_stored_ids BIGINT[] DEFAULT NULL,
            INOUT out_stored_responses TEXT[] DEFAULT NULL, INOUT out_handed_ids BIGINT[] DEFAULT NULL, INOUT out_now BIGINT DEFAULT NULL
        )
        LANGUAGE plpgsql
        AS $$
        DECLARE
            inserted_count BIGINT;
            fresh_count BIGINT;
            -- Read only so that the CTE that notifies runs.
            notified_count BIGINT;
        BEGIN
            WITH settings AS MATERIALIZED (
                SELECT set_config('lock_timeout', in_lock_timeout, true), set_config('statement_timeout', in_statement_timeout, true),
                       (extract(epoch from clock_timestamp()) * 1000)::bigint AS now
            ), input AS MATERIALIZED (
                SELECT settings.now, r.* FROM settings CROSS JOIN
                    unnest(in_keys::text[], in_calls::text[], in_bodies::bytea[], in_heads::text[], in_tails::text[], in_outcomes::text[], in_rules::text[], in_has_rules::boolean[], in_queued::boolean[], in_alone::boolean[])
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
                LIMIT in_handoff_limit
            ), queued AS (
                INSERT INTO jobs (id, call_id, outcome, rule, event_id, state, attempts, next_attempt_at, created_at, updated_at, lease_owner, lease_expires_at)
                SELECT d.job_id, d.call_id, d.outcome, CASE WHEN d.has_rule THEN d.rule END, d.event_id,
                       CASE WHEN h.job_id IS NULL THEN 'pending' ELSE 'in_flight' END, 0, d.now, d.now, d.now,
                       CASE WHEN h.job_id IS NOT NULL THEN in_owner END, CASE WHEN h.job_id IS NOT NULL THEN d.now + in_lease END
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
                SELECT pg_notify('outcomed_jobs', '') FROM (SELECT FROM queued WHERE state = 'pending' LIMIT 1) any_pending
            )
            SELECT (SELECT count(*) FROM inserted), (SELECT count(*) FROM fresh), (SELECT count(*) FROM notified),
                   ARRAY(SELECT n FROM fresh ORDER BY n), ARRAY(SELECT event_id FROM fresh ORDER BY n),
                   ARRAY(SELECT call_id FROM queued), ARRAY(SELECT id FROM queued),
                   ARRAY(SELECT idempotency_key FROM stored), ARRAY(SELECT id FROM stored), ARRAY(SELECT response FROM stored),
                   ARRAY(SELECT id FROM queued WHERE state = 'in_flight'), (SELECT now FROM settings)
            INTO inserted_count, fresh_count, notified_count, out_fresh_ordinals, out_event_ids, out_queued_calls, out_job_ids,
                 out_stored_keys, out_stored_ids, out_stored_responses, out_handed_ids, out_now;
            IF inserted_count <> fresh_count THEN
                RAISE EXCEPTION USING ERRCODE = '40001', MESSAGE = 'an event of this batch was stored by another session meanwhile';
            END IF;
            COMMIT;
        END
        $$
        """
}
