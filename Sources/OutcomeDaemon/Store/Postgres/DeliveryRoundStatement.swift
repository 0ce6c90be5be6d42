import PostgresNIO

/// Delivery's usual round, prepared once per connection: it records attempts that ended
/// (`done` or `dead`) and claims due jobs, in one statement that is its own transaction and
/// commits without waiting for its WAL flush.
///
/// The results' rows are locked in call order before they change, as every writer locks jobs.
/// Its rows: one per claimed job (`Job.postgresColumns`), or one with those columns null when
/// it claimed none, each followed by `leases_expired` (whether another instance let a lease
/// expire, which the statement does not take back), `next_due` (the earliest due time of the
/// pending jobs it did not claim) and `database_now`.
struct DeliveryRoundStatement: PostgresPreparedStatement {
    static let name = "outcomed_round_1"

    static let sql = """
        WITH clock AS MATERIALIZED (
            SELECT \(PostgresSession.now) AS now, set_config('synchronous_commit', 'off', true) AS unflushed
        ),
        held AS MATERIALIZED (
            SELECT id FROM jobs WHERE id = ANY($2::bigint[]) AND state = 'in_flight' AND lease_owner = $1
            ORDER BY call_id FOR UPDATE
        ),
        ended AS (
            UPDATE jobs SET state = r.state, attempts = attempts + 1, last_status = CASE WHEN r.has_status THEN r.status END,
                            last_error = CASE WHEN r.state = 'dead' THEN r.error END, lease_owner = NULL, lease_expires_at = NULL,
                            updated_at = clock.now
            FROM unnest($2::bigint[], $3::text[], $4::bigint[], $5::boolean[], $6::text[]) AS r(id, state, status, has_status, error), held, clock
            WHERE jobs.id = r.id AND held.id = r.id
        ),
        due AS (
            SELECT outcomed_due_jobs((SELECT now FROM clock), $7) AS due_id
        ),
        claimed AS (
            UPDATE jobs SET state = 'in_flight', lease_owner = $1, lease_expires_at = clock.now + $8, updated_at = clock.now
            FROM clock WHERE jobs.id = ANY(ARRAY(SELECT due_id FROM due))
            RETURNING \(Job.postgresColumns)
        )
        SELECT claimed.*,
               (SELECT unflushed FROM clock) AS unflushed,
               EXISTS (
                   SELECT 1 FROM jobs, clock
                   WHERE jobs.state = 'in_flight' AND jobs.lease_expires_at <= clock.now AND jobs.lease_owner IS DISTINCT FROM $1
               ) AS leases_expired,
               (SELECT min(next_attempt_at) FROM jobs WHERE state = 'pending' AND id <> ALL(ARRAY(SELECT id FROM claimed))) AS next_due,
               (SELECT now FROM clock) AS database_now
        FROM (SELECT 1) AS one LEFT JOIN claimed ON true
        """

    typealias Row = PostgresRow

    /// The instance that claims, and that holds the results' jobs.
    var owner: String
    /// The results, one element of each array per job.
    var ids: [Int64]
    var states: [String]
    var statuses: [Int64]
    var hasStatus: [Bool]
    var errors: [String]
    /// At most this many jobs are claimed.
    var claimLimit: Int64
    /// A claim's lease, in milliseconds from the database's clock.
    var leaseMillis: Int64

    func makeBindings() throws -> PostgresBindings {
        var bindings = PostgresBindings(capacity: 8)
        bindings.append(owner)
        bindings.append(ids)
        bindings.append(states)
        bindings.append(statuses)
        bindings.append(hasStatus)
        bindings.append(errors)
        bindings.append(claimLimit)
        bindings.append(leaseMillis)
        return bindings
    }

    func decodeRow(_ row: PostgresRow) throws -> PostgresRow { row }
}
