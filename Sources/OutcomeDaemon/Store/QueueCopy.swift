/// `outcomed queue copy`: every event, then every unfinished job, from one store into another,
/// in batches, each batch one transaction in the target.
public enum QueueCopy {
    /// Rows per batch.
    static let batch = 1000

    /// Copies what `target` lacks from `source`; returns what was added.
    public static func copy(from source: any QueueStore, to target: any QueueStore, now: Int64 = WallClock.milliseconds()) async throws -> CopyCounts {
        var counts = CopyCounts()
        var after: Int64 = 0
        while true {
            let events = try await source.copiedEvents(after: after, limit: batch)
            guard let last = events.last else { break }
            counts = counts + (try await target.addCopied(events: events, jobs: [], now: now))
            after = last.id
        }
        after = 0
        while true {
            let jobs = try await source.copiedJobs(after: after, limit: batch)
            guard let last = jobs.last else { break }
            counts = counts + (try await target.addCopied(events: [], jobs: jobs, now: now))
            after = last.job.id
        }
        return counts
    }
}
