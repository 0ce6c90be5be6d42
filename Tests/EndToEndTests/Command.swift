import Foundation

/// Runs a built product of this package and captures what it printed.
struct Command {
    struct Result {
        var status: Int32
        var stdout: String
        var stderr: String
    }

    /// The directory that holds the built products (beside the test bundle).
    static let productsDirectory: URL = {
        let executable = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath()
        return executable.deletingLastPathComponent()
    }()

    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().path

    static func path(of product: String) -> String {
        productsDirectory.appendingPathComponent(product).path
    }

    static func run(
        _ product: String,
        _ arguments: [String],
        environment: [String: String] = [:],
        stdin: Data? = nil,
        directory: String = root
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
        if let stdin { input.fileHandleForWriting.write(stdin) }
        try input.fileHandleForWriting.close()
        let outData = out.fileHandleForReading.readDataToEndOfFile()
        let errData = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Result(status: process.terminationStatus, stdout: String(decoding: outData, as: UTF8.self), stderr: String(decoding: errData, as: UTF8.self))
    }
}
