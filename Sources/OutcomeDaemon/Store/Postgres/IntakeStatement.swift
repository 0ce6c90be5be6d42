import NIOCore
import PostgresNIO

/// Intake's one statement, prepared once per connection: a call of the `outcomed_intake`
/// procedure (`PostgresMigration.intakeProcedure`), which stores a batch's events, queues their
/// decisions and commits before it answers, so its answer means committed. The first record of
/// an idempotency key is stored, later ones are its duplicates; a call's queued decisions go to
/// one job, which takes the last of them (one call, one line). Jobs are written before events,
/// each in key order, so that concurrent commits lock rows in one order. The wait limits are set
/// first, before any row is locked.
///
/// Up to the handoff's limit of new jobs whose call has nothing pending or in flight, and comes
/// once in the batch, go straight in flight, leased to its owner (`IntakeHandoff`); listeners
/// are notified only of pending ones.
///
/// When another session stored one of the keys after the procedure looked, it fails with
/// `concurrentDuplicate` and writes nothing; run again, it finds that event. When another
/// session put a handed-off job's call in flight meanwhile, it fails with a unique violation and
/// writes nothing.
///
/// Its one row: the records' ordinals (from 1) and event ids of the stored events, the calls
/// and ids of the queued jobs, the keys, ids and responses of the events stored before, the ids
/// of the jobs handed off, and the database's clock.
struct IntakeStatement: PostgresPreparedStatement {
    static let name = "outcomed_intake_3"

    static let sql = "CALL outcomed_intake($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15)"

    /// The SQLSTATE of a batch that met a key stored meanwhile: PostgreSQL's "serialization
    /// failure", the usual sign that a transaction should simply be run again. The procedure
    /// raises it as a literal, so it never changes.
    static let concurrentDuplicate = "40001"

    typealias Row = ([Int64], [Int64], [String], [Int64], [String], [Int64], [String], [Int64], Int64)

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
