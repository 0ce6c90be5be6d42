import Foundation
import Logging
import Synchronization

/// Holds the thread that logs `message` (the first time) until `release()`: a way to keep
/// libcurl's thread busy for as long as a test needs.
final class LogGate: Sendable {
    private let message: String
    private let used = Atomic<Bool>(false)
    private let released = DispatchSemaphore(value: 0)
    private let enteredStream: AsyncStream<Void>
    private let enteredContinuation: AsyncStream<Void>.Continuation

    init(holdingAt message: String) {
        self.message = message
        (enteredStream, enteredContinuation) = AsyncStream.makeStream()
    }

    /// A debug-level logger that stops its caller at the gate.
    var logger: Logger {
        var logger = Logger(label: "gate") { _ in Handler(gate: self) }
        logger.logLevel = .debug
        return logger
    }

    /// Returns once a thread is held at the gate.
    func entered() async {
        for await _ in enteredStream { return }
    }

    func release() {
        released.signal()
    }

    fileprivate func pass(_ logged: String) {
        guard logged == message, !used.exchange(true, ordering: .relaxed) else { return }
        enteredContinuation.yield()
        released.wait()
    }

    struct Handler: LogHandler {
        let gate: LogGate
        var metadata: Logger.Metadata = [:]
        var logLevel: Logger.Level = .trace

        subscript(metadataKey key: String) -> Logger.Metadata.Value? {
            get { metadata[key] }
            set { metadata[key] = newValue }
        }

        func log(event: LogEvent) {
            gate.pass(event.message.description)
        }
    }
}
