import Testing
@testable import OutcomeDaemon

struct IntakeBatchingTests {
    /// A record as the batching sees it: a name, its call and its idempotency key.
    struct Item: Equatable, CustomStringConvertible {
        var name: String
        var call: String
        var key: String
        var description: String { name }
    }

    static func item(_ name: String, call: String, key: String? = nil) -> Item {
        Item(name: name, call: call, key: key ?? name)
    }

    static func batching(maxBatch: Int = 512, maxInFlight: Int) -> IntakeBatching<Item> {
        IntakeBatching(maxBatch: maxBatch, maxInFlight: maxInFlight, call: \.call, key: \.key)
    }

    @Test func oneBatchAtATimeTakesEverythingThatWaitedInOrder() {
        var batching = Self.batching(maxInFlight: 1)
        let first = batching.arrive(Self.item("a1", call: "a"))
        #expect(first == [[Self.item("a1", call: "a")]])
        #expect(batching.arrive(Self.item("a2", call: "a")).isEmpty)
        #expect(batching.arrive(Self.item("b1", call: "b")).isEmpty)
        let (next, failed) = batching.finish(first[0], failed: false)
        #expect(next.map { $0.map(\.name) } == [["a2", "b1"]])
        #expect(failed.isEmpty && batching.inFlight == 1 && batching.waiting.isEmpty)
    }

    @Test func aRecordWhoseCallIsInFlightWaitsAndHoldsBackItsCallsLaterRecords() {
        var batching = Self.batching(maxInFlight: 2)
        let first = batching.arrive(Self.item("a1", call: "a"))
        #expect(first.map { $0.map(\.name) } == [["a1"]])
        // The second slot is free, but a2 must not race a1: only b1 goes.
        #expect(batching.arrive(Self.item("a2", call: "a")).isEmpty)
        let second = batching.arrive(Self.item("b1", call: "b"))
        #expect(second.map { $0.map(\.name) } == [["b1"]])
        #expect(batching.arrive(Self.item("c1", call: "c")).isEmpty, "both slots are busy")
        #expect(batching.arrive(Self.item("a3", call: "a")).isEmpty)

        let (afterB, _) = batching.finish(second[0], failed: false)
        #expect(afterB.map { $0.map(\.name) } == [["c1"]], "a2 and a3 still wait for a1")
        let (afterA, _) = batching.finish(first[0], failed: false)
        #expect(afterA.map { $0.map(\.name) } == [["a2", "a3"]])
        #expect(batching.waiting.isEmpty && batching.inFlight == 2)
    }

    @Test func aRecordHeldBackByItsKeyHoldsBackItsCallToo() {
        var batching = Self.batching(maxInFlight: 2)
        let first = batching.arrive(Self.item("x1", call: "x", key: "k"))
        #expect(batching.arrive(Self.item("y1", call: "y", key: "k")).isEmpty, "its key is in flight")
        let second = batching.arrive(Self.item("y2", call: "y"))
        #expect(second.isEmpty, "y1 waits, so y2 waits behind it")
        let (next, _) = batching.finish(first[0], failed: false)
        #expect(next.map { $0.map(\.name) } == [["y1", "y2"]])
    }

    @Test func aBatchTakesAtMostMaxBatchAndAnotherSlotTakesTheRest() {
        var batching = Self.batching(maxBatch: 2, maxInFlight: 2)
        let first = batching.arrive(Self.item("a1", call: "a"))
        for name in ["b1", "c1", "d1", "e1"] { _ = batching.arrive(Self.item(name, call: String(name.prefix(1)))) }
        let (next, _) = batching.finish(first[0], failed: false)
        #expect(Array(next.joined()).count + batching.waiting.count == 3)
        #expect(batching.inFlight == 2 && next.allSatisfy { $0.count <= 2 })
    }

    @Test func aFailedCommitFailsWhatWaitedBehindItButNotTheOtherBatchInFlight() {
        var batching = Self.batching(maxInFlight: 2)
        let first = batching.arrive(Self.item("a1", call: "a"))
        let second = batching.arrive(Self.item("b1", call: "b"))
        _ = batching.arrive(Self.item("a2", call: "a"))
        let (next, failed) = batching.finish(first[0], failed: true)
        #expect(next.isEmpty && failed.map(\.name) == ["a2"])
        #expect(batching.inFlight == 1 && second.map { $0.map(\.name) } == [["b1"]])
        let (afterB, _) = batching.finish(second[0], failed: false)
        #expect(afterB.isEmpty && batching.inFlight == 0)
        #expect(batching.arrive(Self.item("a3", call: "a")).map { $0.map(\.name) } == [["a3"]])
    }
}
