/// What went wrong inside the PostgreSQL store before it is told to the operator as a `StoreError`.
enum PostgresStoreFailure: Error, Equatable {
    /// A query that always returns a row returned none.
    case missingRow
    /// No connection of the pool came free before the deadline (the server is down or every
    /// connection is busy).
    case noConnection
    /// The deadline passed before the commit could start.
    case deadlinePassed
    /// Another instance stored one of the batch's events between the duplicate check and the
    /// insert; the commit is redone and then finds it.
    case concurrentDuplicate
}
