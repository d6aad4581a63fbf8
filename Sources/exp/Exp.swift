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

/// A one-line message and exit status for an error from the database at `path`: what went wrong
/// in the user's terms rather than SQLite's result code and SQL.
func describe(_ error: Error, database path: String) -> (message: String, code: Int32) {
    switch error {
    case let error as SchemaError:
        return ("\(error)", 2)
    case let error as SQLiteError:
        switch error.primary {
        case .notADatabase?: return ("\(path) is not an SQLite database", 2)                       // SQLITE_NOTADB
        case .corrupt?: return ("\(path) is damaged (\(error.message)); `exp db check --db \(path)` shows more", 1)  // SQLITE_CORRUPT
        case .busy?, .locked?: return ("\(path) is locked by another program (waited 60 s); try again once it is done", 1)  // BUSY, LOCKED
        case .readOnly?: return ("\(path) is read-only: exp cannot write to it", 1)              // SQLITE_READONLY
        case .full?: return ("the disk holding \(path) is full", 1)                         // SQLITE_FULL
        case .cannotOpen?: return ("cannot open \(path) (does its folder exist, and may exp write there?)", 1)  // SQLITE_CANTOPEN
        default: return ("\(path): \(error.message)", 1)
        }
    default:
        return ("\(error)", 1)
    }
}

/// Exits with the one-line description of a database error.
func fail(_ error: Error, database path: String) -> Never {
    let (message, code) = describe(error, database: path)
    fail(message, code: code)
}
