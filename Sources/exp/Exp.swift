import ArgumentParser
import Foundation
import NeuralNet
import Sweep

@main
struct Exp: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "exp",
        abstract: "Train small MLPs on tabular data; keep, compare and reproduce every run in runs.db.",
        version: toolVersion,
        subcommands: [SweepCommand.self, TrainCommand.self, ReportCommand.self, RunsCommand.self, ShowCommand.self,
                      PredictCommand.self, EvaluateCommand.self, DataCommand.self, MergeCommand.self, DatabaseCommand.self]
    )
}

/// Options shared by every command that opens the database.
struct DatabaseOptions: ParsableArguments {
    @Option(name: .long, help: "The experiment database (SQLite).")
    var db: String = "runs.db"
}

/// Prints `message` to standard error as one line and exits with `code`.
func fail(_ message: String, code: Int32 = 1) -> Never {
    FileHandle.standardError.write(Data("exp: \(message)\n".utf8))
    Foundation.exit(code)
}

/// Writes a line to standard error.
func note(_ message: String) {
    FileHandle.standardError.write(Data("\(message)\n".utf8))
}
