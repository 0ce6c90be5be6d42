import Foundation
import Synchronization

/// The mock's shared state: mode, scripted faults per call, and every request received.
final class MockState: Sendable {
    struct Recorded: Sendable {
        var callID: String
        var outcome: String?
        var status: Int
        var at: Double
        var authorization: String?
        var userAgent: String?
        var contentType: String?
        var accept: String?
        var rawPath: String
    }

    struct Contents: ~Copyable {
        var mode: MockMode = .up
        var faults: [String: [Fault]] = [:]
        var requests: [Recorded] = []
        /// How long every unscripted answer waits, as a slow upstream would.
        var delayMilliseconds = 0
        /// PATCHes being answered now, per call.
        var active: [String: Int] = [:]
        /// PATCHes that arrived while another for the same call was still being answered.
        var overlaps = 0
        /// The most PATCHes being answered at once, for any calls.
        var peakActive = 0
    }

    let token: String
    let contents = Mutex(Contents())

    init(token: String) {
        self.token = token
    }

    var mode: MockMode {
        get { contents.withLock { $0.mode } }
        set { contents.withLock { $0.mode = newValue } }
    }

    func nextFault(for callID: String) -> Fault? {
        contents.withLock { contents in
            guard var queue = contents.faults[callID], !queue.isEmpty else { return nil }
            let fault = queue.removeFirst()
            contents.faults[callID] = queue
            return fault
        }
    }

    var delayMilliseconds: Int {
        get { contents.withLock { $0.delayMilliseconds } }
        set { contents.withLock { $0.delayMilliseconds = newValue } }
    }

    /// A PATCH for `callID` starts being answered; counts an overlap if one already is.
    func begin(_ callID: String) {
        contents.withLock { contents in
            if contents.active[callID, default: 0] > 0 { contents.overlaps += 1 }
            contents.active[callID, default: 0] += 1
            contents.peakActive = max(contents.peakActive, contents.active.values.reduce(0, +))
        }
    }

    /// The answer to a PATCH for `callID` is sent.
    func end(_ callID: String) {
        contents.withLock { contents in
            contents.active[callID, default: 1] -= 1
            if contents.active[callID] == 0 { contents.active[callID] = nil }
        }
    }

    func addFaults(_ faults: [Fault], for callID: String) {
        contents.withLock { $0.faults[callID, default: []].append(contentsOf: faults) }
    }

    func record(_ request: Recorded) {
        contents.withLock { $0.requests.append(request) }
    }

    func reset() {
        contents.withLock { contents in
            contents.mode = .up
            contents.faults = [:]
            contents.requests = []
            contents.delayMilliseconds = 0
            contents.overlaps = 0
            contents.peakActive = 0
        }
    }

    func requestsJSON(callID: String?) -> [[String: Any]] {
        contents.withLock { contents in
            contents.requests.filter { callID == nil || $0.callID == callID }.map { request in
                var object: [String: Any] = [
                    "call_id": request.callID, "status": request.status, "at": request.at, "path": request.rawPath,
                ]
                object["outcome"] = request.outcome
                object["authorization"] = request.authorization
                object["user_agent"] = request.userAgent
                object["content_type"] = request.contentType
                object["accept"] = request.accept
                return object
            }
        }
    }

    func stats() -> [String: Any] {
        contents.withLock { contents in
            [
                "requests": contents.requests.count, "ok": contents.requests.filter { (200..<300).contains($0.status) }.count,
                "mode": contents.mode.rawValue, "delay_ms": contents.delayMilliseconds, "overlaps": contents.overlaps,
                "peak_active": contents.peakActive,
            ]
        }
    }
}
