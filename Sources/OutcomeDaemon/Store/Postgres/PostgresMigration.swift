/// One numbered step of the PostgreSQL schema. Steps are append-only: a released step never
/// changes, a new one is added after it.
struct PostgresMigration: Sendable {
    /// Its number, one more than the step before.
    var version: Int
    /// What it does, recorded in `outcomed_schema`.
    var name: String
    /// Its statements, run in order in the migration's transaction.
    var statements: [String]

    /// Every step this outcomed knows, in order.
    static let all: [PostgresMigration] = [
        PostgresMigration(version: 1, name: "events, jobs with leases, health probe", statements: [
            """
            CREATE TABLE events (
                id BIGSERIAL PRIMARY KEY,
                idempotency_key TEXT NOT NULL UNIQUE,
                call_id TEXT NOT NULL,
                received_at BIGINT NOT NULL,
                body BYTEA NOT NULL,
                response TEXT NOT NULL
            )
            """,
            "CREATE INDEX events_received_at ON events (received_at)",
            """
            CREATE TABLE jobs (
                id BIGSERIAL PRIMARY KEY,
                call_id TEXT NOT NULL,
                outcome TEXT NOT NULL,
                rule TEXT,
                event_id BIGINT NOT NULL,
                state TEXT NOT NULL CHECK (state IN ('pending', 'in_flight', 'done', 'dead')),
                attempts INTEGER NOT NULL DEFAULT 0,
                next_attempt_at BIGINT NOT NULL,
                last_status INTEGER,
                last_error TEXT,
                created_at BIGINT NOT NULL,
                updated_at BIGINT NOT NULL,
                lease_owner TEXT,
                lease_expires_at BIGINT
            )
            """,
            "CREATE UNIQUE INDEX jobs_one_pending_per_call ON jobs (call_id) WHERE state = 'pending'",
            "CREATE UNIQUE INDEX jobs_one_in_flight_per_call ON jobs (call_id) WHERE state = 'in_flight'",
            "CREATE INDEX jobs_due ON jobs (next_attempt_at, id) WHERE state = 'pending'",
            "CREATE INDEX jobs_leases ON jobs (lease_expires_at) WHERE state = 'in_flight'",
            "CREATE INDEX jobs_state_updated ON jobs (state, updated_at)",
            "CREATE INDEX jobs_call ON jobs (call_id, id)",
            "CREATE INDEX jobs_event ON jobs (event_id)",
            "CREATE TABLE outcomed_health (id INTEGER PRIMARY KEY CHECK (id = 1), checked_at BIGINT NOT NULL, padding BYTEA)",
        ]),
        PostgresMigration(version: 2, name: "instance heartbeats, and the back-test's read by call", statements: [
            "CREATE TABLE outcomed_instances (owner TEXT PRIMARY KEY, seen_at BIGINT NOT NULL)",
            "CREATE INDEX events_call ON events (call_id, id)",
        ]),
        // The planner judges the claim by the table's statistics, which say how many jobs are
        // pending as of the last ANALYZE: few, before a backlog. It then reads every pending job
        // and sorts them on each claim, which slows as the backlog grows. In this function it can
        // only read the due index in order, and stops at the limit.
        PostgresMigration(version: 3, name: "due jobs read in the due index's order", statements: [
            """
            CREATE FUNCTION outcomed_due_jobs(due_at BIGINT, wanted BIGINT) RETURNS SETOF BIGINT
            LANGUAGE sql VOLATILE ROWS 16
            SET enable_bitmapscan = off SET enable_seqscan = off SET enable_sort = off
            AS $$
                SELECT j.id FROM jobs j
                WHERE j.state = 'pending' AND j.next_attempt_at <= due_at
                  AND NOT EXISTS (SELECT 1 FROM jobs f WHERE f.call_id = j.call_id AND f.state = 'in_flight')
                ORDER BY j.next_attempt_at, j.id
                LIMIT wanted
                FOR UPDATE OF j SKIP LOCKED
            $$
            """,
        ]),
        // A statement that runs as its own transaction (no BEGIN, one round trip) undoes all it
        // wrote only by failing: this makes it fail with a SQLSTATE the caller can act on. Since
        // version 6 only instances of earlier versions call it (their intake statement).
        PostgresMigration(version: 4, name: "statements that abort themselves", statements: [
            """
            CREATE FUNCTION outcomed_abort(code TEXT, message TEXT) RETURNS BIGINT
            LANGUAGE plpgsql VOLATILE
            AS $$
            BEGIN
                RAISE EXCEPTION USING ERRCODE = code, MESSAGE = message;
            END
            $$
            """,
        ]),
        // A SQL function is parsed and planned again at every call, which was most of a round's
        // time on the server; PL/pgSQL keeps the plan for the session. Same query, same settings.
        PostgresMigration(version: 5, name: "due jobs read with a plan kept per session", statements: [
            """
            CREATE OR REPLACE FUNCTION outcomed_due_jobs(due_at BIGINT, wanted BIGINT) RETURNS SETOF BIGINT
            LANGUAGE plpgsql VOLATILE ROWS 16
            SET enable_bitmapscan = off SET enable_seqscan = off SET enable_sort = off
            AS $$
            BEGIN
                RETURN QUERY
                SELECT j.id FROM jobs j
                WHERE j.state = 'pending' AND j.next_attempt_at <= due_at
                  AND NOT EXISTS (SELECT 1 FROM jobs f WHERE f.call_id = j.call_id AND f.state = 'in_flight')
                ORDER BY j.next_attempt_at, j.id
                LIMIT wanted
                FOR UPDATE OF j SKIP LOCKED;
            END
            $$
            """,
        ]),
        PostgresMigration(version: 6, name: "intake as a procedure that commits before it answers", statements: [intakeProcedure]),
    ]
}
