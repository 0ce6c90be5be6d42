import ArgumentParser
import OutcomeDaemon

struct QueueStatsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "stats", abstract: "Counts jobs by state.")

    @OptionGroup var store: StoreOption

    @Flag(help: "Print JSON.")
    var json = false

    func run() async throws {
        let stats = try await store.withStore { try await $0.stats(now: WallClock.milliseconds()) }
        if json {
            print(stats.json)
        } else {
            print("pending \(stats.pending), in_flight \(stats.inFlight), done \(stats.done), dead \(stats.dead), oldest pending \(Int(stats.oldestPendingAgeSeconds))s")
        }
    }
}
