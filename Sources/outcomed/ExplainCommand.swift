import ArgumentParser
import OutcomeDaemon

struct ExplainCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "explain",
        abstract: "Shows how the rules decide one event, rule by rule."
    )

    @Argument(help: "The event JSON file, or - for standard input.")
    var event: String

    @OptionGroup var options: ConfigOption

    @Flag(name: .long, help: "Print the explanation as JSON.")
    var json = false

    func run() throws {
        let config = try Config.load(path: options.path, mode: .rules)
        let explanation = try EventExplainer.explain(path: event, rules: config.rules)
        print(json ? explanation.json : explanation.text)
    }
}
