import Foundation
import Testing
import TestSupport

/// The command line helps: the nearest command for a typo, `help` of an unknown command fails,
/// negative numbers reach the range check, each command's help shows an example, and the shells'
/// completion scripts are written.
@Suite struct CommandLineHelpTests {
    @Test func anUnknownCommandNamesTheNearest() throws {
        let dir = temporaryDirectory()
        let typo = try exp(["swep", "grid.json"], in: dir)
        #expect(typo.status == 2)
        #expect(typo.stderr.contains("unknown command 'exp swep'; did you mean 'sweep'?"), "\(typo.stderr)")
        #expect(typo.stderr.contains("commands: sweep, train"), "\(typo.stderr)")
        let nested = try exp(["data", "lst"], in: dir)
        #expect(nested.status == 2 && nested.stderr.contains("did you mean 'list'?"), "\(nested.stderr)")
        let far = try exp(["frobnicate"], in: dir)
        #expect(far.status == 2 && !far.stderr.contains("did you mean"), "\(far.stderr)")
        let help = try exp(["help", "nosuch"], in: dir)
        #expect(help.status == 2)
        let known = try exp(["help", "runs"], in: dir)
        #expect(known.status == 0 && known.stdout.contains("--where"))
    }

    @Test func aNegativeNumberReachesTheRangeCheck() throws {
        let dir = temporaryDirectory()
        let iris = repositoryRoot.appendingPathComponent("Data/iris.data").path
        let negative = try exp(["train", "--data", iris, "--learning-rate", "-1", "--epochs", "2"], in: dir)
        #expect(negative.status == 2)
        #expect(negative.stderr.contains("--learning-rate: must be finite and > 0, found -1"), "\(negative.stderr)")
        #expect(!FileManager.default.fileExists(atPath: dir.appendingPathComponent("runs.db").path))
    }

    /// Every command and subcommand, read from the parser's own description of the tool (what
    /// the man page is generated from), shows an example in its `--help`.
    @Test func everyCommandsHelpShowsAnExample() throws {
        let dir = temporaryDirectory()
        let dump = try exp(["--experimental-dump-help"], in: dir)
        #expect(dump.status == 0, "\(dump.stderr)")
        struct Command: Decodable { var commandName: String; var subcommands: [Command]? }
        struct ToolInfo: Decodable { var command: Command }
        let root = try JSONDecoder().decode(ToolInfo.self, from: Data(dump.stdout.utf8)).command
        func paths(_ command: Command, _ prefix: [String]) -> [[String]] {
            let here = prefix + [command.commandName]
            let children = (command.subcommands ?? []).filter { $0.commandName != "help" }
            return [here] + children.flatMap { paths($0, here) }
        }
        let commands = paths(root, []).map { Array($0.dropFirst()) }.filter { !$0.isEmpty }
        #expect(commands.count >= 18, "\(commands)")
        for expected in [["sweep"], ["data", "import"], ["db", "snapshot"], ["compare"]] {
            #expect(commands.contains(expected), "\(expected) missing from \(commands)")
        }
        for command in commands {
            let help = try exp(command + ["--help"], in: dir)
            #expect(help.status == 0, "\(command)")
            let example = try #require(help.stdout.range(of: #"Examples?:\n +exp "#, options: .regularExpression),
                                       "no example in exp \(command.joined(separator: " ")) --help:\n\(help.stdout)")
            // The example uses the command it documents.
            let firstExample = help.stdout[example.upperBound...].prefix { $0 != "\n" }
            #expect(firstExample.hasPrefix(command.joined(separator: " ")),
                    "exp \(command.joined(separator: " ")): \(firstExample)")
        }
    }

    /// The README's completion commands produce a script for each shell, naming the commands.
    @Test func completionScriptsForEachShell() throws {
        let dir = temporaryDirectory()
        for (shell, marker) in [("bash", "-F _exp exp"), ("zsh", "#compdef exp"), ("fish", "complete -c 'exp'")] {
            let script = try exp(["--generate-completion-script", shell], in: dir)
            #expect(script.status == 0, "\(shell): \(script.stderr)")
            #expect(script.stdout.contains(marker), "\(shell)")
            for command in ["sweep", "compare", "snapshot"] {
                #expect(script.stdout.contains(command), "\(shell) script misses \(command)")
            }
        }
    }
}
