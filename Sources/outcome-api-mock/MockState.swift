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
            ["requests": contents.requests.count, "ok": contents.requests.filter { (200..<300).contains($0.status) }.count, "mode": contents.mode.rawValue]
        }
    }
}
