import ArgumentParser
import Foundation

/// `--config PATH`, defaulting to `$OUTCOMED_CONFIG`, then `/etc/outcomed/outcomed.yaml`.
struct ConfigOption: ParsableArguments {
    @Option(name: .long, help: "The config file (default: $OUTCOMED_CONFIG, then /etc/outcomed/outcomed.yaml).")
    var config: String?

    var path: String {
        if let config { return config }
        if let fromEnvironment = ProcessInfo.processInfo.environment["OUTCOMED_CONFIG"], !fromEnvironment.isEmpty {
            return fromEnvironment
        }
        return "/etc/outcomed/outcomed.yaml"
    }
}
