import ArgumentParser
import Foundation
import NeuralNet
import Sweep
import Tracker

@main
struct Exp: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "exp",
        abstract: "Train small MLPs on tabular data; keep, compare and reproduce every run in runs.db.",
        version: toolVersion,
        subcommands: [SweepCommand.self, TrainCommand.self, ReportCommand.self, RunsCommand.self, ShowCommand.self, TagCommand.self, NoteCommand.self, CompareCommand.self, BestCommand.self, ExportCommand.self,
                      PredictCommand.self, EvaluateCommand.self, DataCommand.self, MergeCommand.self, DatabaseCommand.self, ServeCommand.self]
    )

    /// Refuses an unknown command (`exp swep`, `exp data lst`, `exp help nosuch`) naming the
    /// nearest one, before the argument parser would call it an unexpected argument.
    static func checkCommandNames(_ arguments: [String]) throws {
        var words = arguments.first == "help" ? Array(arguments.dropFirst()) : arguments
        var command: ParsableCommand.Type = Exp.self, path = "exp"
        while let word = words.first, !CommandSuggestion.names(of: command).isEmpty {
            if let problem = CommandSuggestion.problem(word, in: command, path: path) { throw problem }
            guard let next = command.configuration.subcommands.first(where: { $0._commandName == word }) else { return }
            (command, path) = (next, path + " " + word)
            words.removeFirst()
        }
    }

    /// The entry point, and the only place the process exits: parses the arguments, runs the
    /// command, and maps whatever it throws to one message and an ``ExitStatus``.
    static func main() {
        var status = ExitStatus.success
        do {
            try checkCommandNames(Array(CommandLine.arguments.dropFirst()))
            var command = try parseAsRoot()
            try command.run()
        } catch {
            let termination = Termination(error)
            termination.print()
            status = termination.status
        }
        if case .signal = status {
            // Training threads a signal abandoned may still be computing: end the process
            // without running exit handlers and library destructors under them. Their runs are
            // already stored `interrupted`; nothing of theirs is written.
            checkpointWritableStores()
            fflush(stdout)
            _exit(status.code)
        }
        // What was printed is out before the exit checkpoint, which may wait a few seconds for readers.
        fflush(stdout)
        Foundation.exit(status.code)
    }
}

/// Options shared by every command that opens the database.
struct DatabaseOptions: ParsableArguments {
    @Option(name: .long, help: "The experiment database (SQLite).")
    var db: String = "runs.db"
}

/// Writes a line to standard error.
func note(_ message: String) {
    FileHandle.standardError.write(Data("\(message)\n".utf8))
}
