import ArgumentParser
import Datasets
import Foundation
import Sweep
import Tracker

/// The exit statuses of `exp`, the same for every command (README.md, "Names shared by every
/// command"). This file is the only place that decides them: commands throw errors, and
/// ``Termination`` maps each error to a status and the line printed for it.
enum ExitStatus: Equatable {
    /// Done: every cell of the sweep finished or diverged; any other command did its job.
    case success
    /// The command ran but is incomplete or failed: runs failed or are left to do, a database
    /// error stopped it (locked, disk full, damaged while in use), a check found damage.
    case incomplete
    /// Rejected input, before anything was stored: a usage error (unknown option, bad value,
    /// the argument parser's 64), a grid, data or configuration file that is refused, a run,
    /// sweep or data set not in the database, a missing or unusable database.
    case rejectedInput
    /// Stopped by this signal (`SIGHUP` 1, `SIGINT` 2, `SIGTERM` 15).
    case signal(Int32)

    /// 0, 1, 2 or 128 + the signal's number.
    var code: Int32 {
        switch self {
        case .success: return 0
        case .incomplete: return 1
        case .rejectedInput: return 2
        case .signal(let number): return 128 + number
        }
    }
}

/// An error a command throws, in the user's terms; ``Termination`` maps it to its exit status.
enum ExpError: Error, CustomStringConvertible {
    /// Input refused before anything was stored (``ExitStatus/rejectedInput``).
    case rejected(String)
    /// The command ran but did not complete (``ExitStatus/incomplete``).
    case incomplete(String)
    /// A signal stopped the command (``ExitStatus/signal(_:)``).
    case interrupted(signal: Int32, String)
    /// An error opening or using the database at `path`, told in the user's terms.
    case database(Error, path: String)

    /// The message, without the `exp: ` the entry point puts before it.
    var description: String {
        switch self {
        case .rejected(let message), .incomplete(let message), .interrupted(_, let message): return message
        case .database(let error, let path): return Termination.describe(error, database: path).message
        }
    }
}

/// What the entry point prints and returns for an error a command threw.
struct Termination {
    var status: ExitStatus
    /// Lines for standard error, printed as they are.
    var messages: [String]
    /// Text for standard output: help or the version, asked for with `--help` or `--version`.
    var output: String?

    init(_ error: Error) {
        output = nil
        switch error {
        case let error as ExpError:
            messages = ["exp: \(error)"]
            switch error {
            case .rejected: status = .rejectedInput
            case .incomplete: status = .incomplete
            case .interrupted(let signal, _): status = .signal(signal)
            case .database(let error, let path): status = Self.describe(error, database: path).status
            }
        case let error as GridError:
            // One line per problem, each naming the file, line and key.
            (status, messages) = (.rejectedInput, error.description.split(separator: "\n").map(String.init))
        case let error as AnnotationError:
            // A refused tag key, or a run, sweep, tag or note not in the database: nothing was stored.
            (status, messages) = (.rejectedInput, ["exp: \(error)"])
        case is DataImportError, is SchemaError, is DatabaseFileError, is SQLiteError:
            // An SQLite error a command let through comes from the database it opened.
            let described = Self.describe(error, database: error is SQLiteError ? openedDatabase ?? "" : "")
            (status, messages) = (described.status, ["exp: \(described.message)"])
        default:
            switch Exp.exitCode(for: error) {
            case .success:
                // --help, --version, or a command without a subcommand.
                (status, messages, output) = (.success, [], Exp.fullMessage(for: error))
            case .validationFailure:
                (status, messages) = (.rejectedInput, ["exp: \(Exp.message(for: error))"])
            default:
                (status, messages) = (.incomplete, ["exp: \(error)"])
            }
        }
    }

    /// Prints the output and messages.
    func print() {
        if let output { Swift.print(output) }
        for line in messages { FileHandle.standardError.write(Data("\(line)\n".utf8)) }
    }

    /// A one-line message and exit status for an error from the database at `path` (empty when
    /// no database is known): what went wrong in the user's terms rather than SQLite's result
    /// code and SQL.
    static func describe(_ error: Error, database path: String) -> (message: String, status: ExitStatus) {
        if let problem = (error as? DatabaseFileError) ?? (path.isEmpty ? nil : DatabaseFileError(error, path: path)) {
            if case .diskFull = problem { return ("\(problem)", .incomplete) }
            return ("\(problem)", .rejectedInput)
        }
        switch error {
        case let error as SchemaError:
            return ("\(error)", .rejectedInput)
        case let error as SQLiteError where path.isEmpty:
            return ("\(error)", .incomplete)
        case let error as SQLiteError:
            switch error.primary {
            case .busy?, .locked?: return ("\(path) is locked by another program (waited 60 s); try again once it is done", .incomplete)
            case .readOnly?: return ("\(path) is read-only: exp cannot write to it", .rejectedInput)
            case .cannotOpen?: return ("cannot open \(path) (does its folder exist, and may exp write there?)", .rejectedInput)
            default: return ("\(path): \(error.message)", .incomplete)
            }
        case is DataImportError:
            return ("\(error)", .rejectedInput)
        default:
            return ("\(error)", .incomplete)
        }
    }
}

/// The database the command opened, named as the user gave it: errors SQLite reports while the
/// command reads it are told in the user's terms with this name (see ``Termination``).
nonisolated(unsafe) var openedDatabase: String?
