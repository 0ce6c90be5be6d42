/// Which waiting intake records go into the next batches, for `IntakeWriter`.
///
/// At most `maxInFlight` batches are committed at once. A batch takes waiting records in the
/// order they arrived, but not one whose call or idempotency key is in a batch still in flight:
/// that record waits for a later batch, so a call's decisions are committed in the order they
/// were made, and the last one wins, however many batches are in flight.
struct IntakeBatching<Element> {
    private(set) var waiting: [Element] = []
    private(set) var inFlight = 0
    private var busyCalls: Set<String> = []
    private var busyKeys: Set<String> = []
    let maxBatch: Int
    let maxInFlight: Int
    let call: (Element) -> String
    let key: (Element) -> String

    init(maxBatch: Int, maxInFlight: Int, call: @escaping (Element) -> String, key: @escaping (Element) -> String) {
        self.maxBatch = max(1, maxBatch)
        self.maxInFlight = max(1, maxInFlight)
        self.call = call
        self.key = key
    }

    /// A record arrived: the batches to commit now, if a commit may start.
    mutating func arrive(_ element: Element) -> [[Element]] {
        waiting.append(element)
        return takeBatches()
    }

    /// A batch's commit ended: the batches to commit next, or after a failure none, and the
    /// records that waited, which fail with it.
    mutating func finish(_ batch: [Element], failed: Bool) -> (next: [[Element]], failedBehind: [Element]) {
        inFlight -= 1
        if maxInFlight > 1 {
            for element in batch {
                busyCalls.remove(call(element))
                busyKeys.remove(key(element))
            }
        }
        guard !failed else {
            defer { waiting.removeAll() }
            return ([], waiting)
        }
        return (takeBatches(), [])
    }

    private mutating func takeBatches() -> [[Element]] {
        var batches: [[Element]] = []
        while inFlight < maxInFlight, !waiting.isEmpty {
            let batch: [Element]
            if maxInFlight == 1 {
                let count = min(maxBatch, waiting.count)
                batch = Array(waiting.prefix(count))
                waiting.removeFirst(count)
            } else {
                var taken: [Element] = []
                var left: [Element] = []
                // A record left waiting holds back the later ones of its call and key.
                var heldCalls = busyCalls
                var heldKeys = busyKeys
                for element in waiting {
                    let (call, key) = (call(element), key(element))
                    if taken.count < maxBatch, !heldCalls.contains(call), !heldKeys.contains(key) {
                        taken.append(element)
                    } else {
                        left.append(element)
                        heldCalls.insert(call)
                        heldKeys.insert(key)
                    }
                }
                guard !taken.isEmpty else { break }
                for element in taken {
                    busyCalls.insert(call(element))
                    busyKeys.insert(key(element))
                }
                waiting = left
                batch = taken
            }
            inFlight += 1
            batches.append(batch)
        }
        return batches
    }
}
