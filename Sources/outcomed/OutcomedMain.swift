import Dispatch
import Foundation
import OutcomeDaemon

/// The process entry point. It runs before any Swift Concurrency job exists, which is the only
/// time `serve` can hand the concurrency pool to its event loops.
@main
enum OutcomedMain {
    static func main() {
        // Swift on Linux reads the arguments from /proc/self/cmdline; without /proc (a bare
        // chroot or container) they are empty and `serve` would print the help and exit 0.
        if CommandLine.arguments.isEmpty {
            ExitStatus.printError("outcomed: cannot read its command line: /proc is not mounted")
            exit(ExitStatus.runtime)
        }
        _ = CurlClient.globalInit
        if CommandLine.arguments.dropFirst().first == "serve" {
            Daemon.runConcurrencyOnEventLoops()
        }
        Task {
            await Outcomed.execute()
            exit(0)
        }
        dispatchMain()
    }
}
