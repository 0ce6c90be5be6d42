import Foundation
import Synchronization

/// Runs a built product of this package and captures what it printed.
public struct Command {
    /// A finished child's exit status and output.
    public struct Result: Sendable {
        /// The exit status.
        public var status: Int32
        /// Everything it wrote to standard output.
        public var stdout: String
        /// Everything it wrote to standard error.
        public var stderr: String
    }

    /// The directory that holds the built products (beside the test bundle).
    public static let productsDirectory: URL = {
        let executable = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath()
        return executable.deletingLastPathComponent()
    }()

    /// The package's root directory.
    public static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().path

    /// A built product's path; a name with a slash is already a path.
    public static func path(of product: String) -> String {
        product.contains("/") ? product : productsDirectory.appendingPathComponent(product).path
    }

    /// Runs `product` to its exit on a thread of its own: a test waiting seconds for a child
    /// must not hold one of the pool's two threads that every other test's `await` needs.
    public static func run(
        _ product: String,
        _ arguments: [String],
        environment: [String: String] = [:],
        stdin: Data? = nil,
        directory: String = root,
        timeout: Duration = .seconds(60)
    ) async throws -> Result {
        try await offPool {
            try runBlocking(product, arguments, environment: environment, stdin: stdin, directory: directory, timeout: timeout)
        }
    }

    private static func runBlocking(
        _ product: String,
        _ arguments: [String],
        environment: [String: String],
        stdin: Data?,
        directory: String,
        timeout: Duration
    ) throws -> Result {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: path(of: product))
        process.arguments = arguments
        process.currentDirectoryURL = URL(fileURLWithPath: directory)
        var env = ProcessInfo.processInfo.environment
        env.removeValue(forKey: "OUTCOMED_CONFIG")
        env.removeValue(forKey: "CREDENTIALS_DIRECTORY")
        env.merge(environment) { $1 }
        process.environment = env
        let out = Pipe(), err = Pipe(), input = Pipe()
        process.standardOutput = out
        process.standardError = err
        process.standardInput = input
        try process.run()
        // A child that never exits (a serve that should have refused to start) fails its test instead of hanging the suite.
        let pid = process.processIdentifier
        let watchdog = DispatchWorkItem { kill(pid, SIGKILL) }
        DispatchQueue.global().asyncAfter(deadline: .now() + .milliseconds(Int(timeout.components.seconds * 1000)), execute: watchdog)
        defer { watchdog.cancel() }
        // Both pipes are drained at once: reading one to its end first would deadlock once the
        // child fills the other's 64 KiB buffer.
        let errData = Mutex(Data())
        let errDone = DispatchSemaphore(value: 0)
        let errReader = err.fileHandleForReading
        Thread.detachNewThread {
            let data = errReader.readDataToEndOfFile()
            errData.withLock { $0 = data }
            errDone.signal()
        }
        let inputWriter = input.fileHandleForWriting
        Thread.detachNewThread {
            if let stdin { inputWriter.write(stdin) }
            try? inputWriter.close()
        }
        let outData = out.fileHandleForReading.readDataToEndOfFile()
        errDone.wait()
        process.waitUntilExit()
        return Result(status: process.terminationStatus, stdout: String(decoding: outData, as: UTF8.self), stderr: String(decoding: errData.withLock { $0 }, as: UTF8.self))
    }
}
