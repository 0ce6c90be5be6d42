import Dispatch
import OutcomeEngine

/// The back-test's batch path over a JSON-lines file: lines are read in batches, in place in the
/// reader's buffer; each batch is parsed, normalised and decided on both cores, and the results
/// are handed over one at a time in file order, so every count, example and warning is what one core reading in order gives.
struct ParallelLineDecoder {
    /// One line's result.
    enum Item: Sendable {
        /// A call and its decision; the event's transcript is left empty, as it has been decided.
        case event(CallEvent, Decision)
        case ignored
        case invalid(line: Int, reason: String)
    }

    let path: String
    let rules: RuleSet
    var batchLines = 512
    var workers = 2

    /// Calls `body` with each non-blank line's result, in file order.
    func forEach(_ body: (Item) throws -> Void) throws {
        try JSONLinesReader(path: path).forEachBatch(limit: batchLines) { batch in
            for item in decide(batch) { try body(item) }
        }
    }

    private func decide(_ batch: [(line: UnsafeBufferPointer<UInt8>, number: Int)]) -> [Item] {
        guard !batch.isEmpty else { return [] }
        let results = UnsafeMutableBufferPointer<Item>.allocate(capacity: batch.count)
        defer {
            results.deinitialize()
            results.deallocate()
        }
        // Each worker writes only its own stride of indices, so the buffer is never shared; the
        // lines are only read, and outlive the workers.
        nonisolated(unsafe) let slots = results
        nonisolated(unsafe) let batch = batch
        let rules = self.rules
        let workers = min(self.workers, batch.count)
        DispatchQueue.concurrentPerform(iterations: workers) { worker in
            let parser = JSONParser()
            for index in stride(from: worker, to: batch.count, by: workers) {
                let (line, number) = batch[index]
                let item: Item
                do {
                    switch try CallEvent.normalize(parser.parse(buffer: line)) {
                    case .ignored: item = .ignored
                    case .event(var event):
                        let decision = rules.decide(event)
                        // Callers read the call, not its turns: they are freed here, not on the thread that hands results over in order.
                        event.transcript = Transcript()
                        item = .event(event, decision)
                    }
                } catch {
                    item = .invalid(line: number, reason: "\(error)")
                }
                slots.initializeElement(at: index, to: item)
            }
        }
        return Array(results)
    }
}
