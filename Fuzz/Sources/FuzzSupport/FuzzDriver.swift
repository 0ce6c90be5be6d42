import CLibFuzzer
import Foundation
import OutcomeFuzzing

/// What both fuzz targets share: handing control to libFuzzer and turning a broken promise
/// into a crash that libFuzzer keeps.
public enum FuzzDriver {
    /// The repository this was built from, whose config and example events the targets load.
    public static let repository = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().path

    /// Runs libFuzzer with this process's arguments (its flags, corpus directories or inputs).
    public static func run(_ callback: @convention(c) (UnsafePointer<UInt8>?, Int) -> CInt) -> Never {
        var argc = CommandLine.argc
        var argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>? = CommandLine.unsafeArgv
        exit(LLVMFuzzerRunDriver(&argc, &argv, callback))
    }

    /// The input as bytes.
    public static func bytes(_ data: UnsafePointer<UInt8>?, _ size: Int) -> [UInt8] {
        guard let data, size > 0 else { return [] }
        return Array(UnsafeBufferPointer(start: data, count: size))
    }

    /// Crashes on a broken promise, so that libFuzzer saves the input.
    public static func check(_ verdict: FuzzVerdict) {
        if let problem = verdict.problem { fatalError("broken promise: \(problem)") }
    }

    /// Stops before fuzzing when a target cannot be set up.
    public static func fail(_ message: String) -> Never {
        FileHandle.standardError.write(Data((message + "\n").utf8))
        exit(2)
    }
}
