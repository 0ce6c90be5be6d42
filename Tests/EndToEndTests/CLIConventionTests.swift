import Foundation
import Testing
import TestSupport

/// The conventions a packaged command line is judged by: `--version`, completions, and the
/// parser's own description of itself that the man page is generated from.
struct CLIConventionTests {
    @Test func theVersionFlagPrintsWhatTheVersionCommandPrints() async throws {
        let flag = try await Command.run("outcomed", ["--version"])
        let command = try await Command.run("outcomed", ["version"])
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
    func aCompletionScriptNamesEverySubcommand(shell: String, marker: String) async throws {
        let result = try await Command.run("outcomed", ["--generate-completion-script", shell])
        #expect(result.status == 0)
        #expect(result.stderr.isEmpty)
        #expect(result.stdout.contains(marker))
        for subcommand in ["serve", "check", "test", "explain", "queue", "version"] {
            #expect(result.stdout.contains(subcommand), "\(shell) completion lacks \(subcommand)")
        }
    }

    @Test func theParserDescribesEverySubcommandForTheManPage() async throws {
        let result = try await Command.run("outcomed", ["--experimental-dump-help"])
        #expect(result.status == 0)
        let object = try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any]
        let command = object?["command"] as? [String: Any]
        #expect(command?["commandName"] as? String == "outcomed")
        let names = (command?["subcommands"] as? [[String: Any]])?.compactMap { $0["commandName"] as? String }
        #expect(names == ["serve", "check", "test", "explain", "replay", "report", "queue", "version", "help"])
    }
}
