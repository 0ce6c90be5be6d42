import ArgumentParser

/// Measurement helpers for `make bench` (scripts/bench): the parts of SPEC §9 that are not
/// plain HTTP load.
@main
struct OutcomedBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "outcomed-bench",
        abstract: "Benchmarks for outcomed; run by scripts/bench.",
        subcommands: [RulesBench.self, SeedBench.self, EndToEndBench.self, PartsBench.self, FloorBench.self]
    )
}
