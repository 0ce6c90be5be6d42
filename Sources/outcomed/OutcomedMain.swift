import Dispatch
import Foundation
import OutcomeDaemon

/// The process entry point. It runs before any Swift Concurrency job exists, which is the only
/// time `serve` can hand the concurrency pool to its event loops.
@main
enum OutcomedMain {
    static func main() {
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
