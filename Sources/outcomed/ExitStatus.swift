import ArgumentParser
import Foundation
import OutcomeDaemon

/// The one place that turns errors into messages on stderr and exit codes (SPEC §5):
/// 0 ok, 1 a check, test or validation failed, 2 a usage error, 3 a runtime error.
enum ExitStatus {
    static let failed: Int32 = 1
    static let usage: Int32 = 2
    static let runtime: Int32 = 3

    static func report(_ error: Error) -> Int32 {
        switch error {
        case let error as ConfigError:
            printError(error.description)
            return failed
        case let error as EventFileError:
            printError(error.description)
            if case .unreadable = error { return runtime }
            return failed
        case let error as StoreError:
            printError(error.description)
            return runtime
        case let error as RuleTestFileError:
            printError(error.description)
            return runtime
        case let error as OutputFileError:
            printError(error.description)
            return runtime
        case let error as ListenError:
            printError(error.description)
            return runtime
        case let error as ExitCode:
            return error.rawValue
        default:
            let code = Outcomed.exitCode(for: error)
            let message = Outcomed.fullMessage(for: error)
            if code == .success {
                print(message)
                return 0
            }
            if !message.isEmpty { printError(message) }
            return code == .validationFailure ? usage : runtime
        }
    }

    static func printError(_ message: String) {
        FileHandle.standardError.write(Data((message + "\n").utf8))
    }
}
