import ArgumentParser
import OutcomeDaemon

enum OperatorOutput {
    /// Prints what changed; what was left alone goes to stderr, and makes the command exit 1.
    static func report(_ change: OperatorChange, verb: String) throws {
        print("\(verb) \(change.changed.count) jobs" + (change.changed.isEmpty ? "" : ": " + change.changed.map(String.init).joined(separator: " ")))
        for line in change.skipped { ExitStatus.printError(line) }
        if !change.skipped.isEmpty { throw ExitCode(ExitStatus.failed) }
    }
}
