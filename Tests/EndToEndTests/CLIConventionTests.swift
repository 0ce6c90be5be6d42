import Foundation
import Testing

/// The conventions a packaged command line is judged by: `--version`, completions, and the
/// parser's own description of itself that the man page is generated from.
struct CLIConventionTests {
    @Test func theVersionFlagPrintsWhatTheVersionCommandPrints() throws {
        let flag = try Command.run("outcomed", ["--version"])
        let command = try Command.run("outcomed", ["version"])
        #expect(flag.status == 0)
        #expect(command.status == 0)
        #expect(flag.stdout.hasPrefix("outcomed "))
        #expect(flag.stdout.split(separator: "\n").count == 1)
        #expect(flag.stdout == command.stdout)
    }

    @Test(arguments: [
        ("bash", "complete -o filenames -F _outcomed outcomed"),
        ("zsh", "#compdef outcomed"),
        ("fish", "complete -c 'outcomed'"),
    ])
    func aCompletionScriptNamesEverySubcommand(shell: String, marker: String) throws {
        let result = try Command.run("outcomed", ["--generate-completion-script", shell])
        #expect(result.status == 0)
        #expect(result.stderr.isEmpty)
        #expect(result.stdout.contains(marker))
        for subcommand in ["serve", "check", "test", "explain", "queue", "version"] {
            #expect(result.stdout.contains(subcommand), "\(shell) completion lacks \(subcommand)")
        }
    }

    @Test func theParserDescribesEverySubcommandForTheManPage() throws {
        let result = try Command.run("outcomed", ["--experimental-dump-help"])
        #expect(result.status == 0)
        let object = try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any]
        let command = object?["command"] as? [String: Any]
        #expect(command?["commandName"] as? String == "outcomed")
        let names = (command?["subcommands"] as? [[String: Any]])?.compactMap { $0["commandName"] as? String }
        #expect(names == ["serve", "check", "test", "explain", "replay", "report", "queue", "version", "help"])
    }
}
