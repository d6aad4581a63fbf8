import ArgumentParser
import Foundation
import Tracker

struct RunsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "runs", abstract: "List runs, one line each.")

    @OptionGroup var database: DatabaseOptions
    @Option(name: .long, help: "Only runs of this sweep.") var sweep: String?
    @Option(name: .long, help: "Only runs with this status (queued, running, finished, diverged, failed, interrupted).")
    var status: String?
    @Flag(name: .long, help: "Print one JSON array of runs instead of a table (as --format json).") var json = false
    @Option(name: .long, help: "Output format: table, json (one array) or jsonl (one run per line).") var format: String?

    /// The JSON format asked for, or `nil` for the table.
    var jsonOutput: JSONOutput? { json ? .json : format.flatMap(JSONOutput.init(rawValue:)) }

    func validate() throws {
        if let format, !["table", "json", "jsonl"].contains(format) { throw ValidationError("--format must be table, json or jsonl") }
        if json, let format, format != "json" { throw ValidationError("--json is --format json; it cannot go with --format \(format)") }
        if let status, RunStatus(rawValue: status) == nil {
            throw ValidationError("--status: unknown status '\(status)'; valid: \(RunStatus.allCases.map(\.rawValue).joined(separator: ", "))")
        }
    }

    func run() throws {
        let store = try openStore(database.db, readOnly: true)
        let rows = try store.runSummaries(sweep: sweep, status: status.flatMap { RunStatus(rawValue: $0) }).map { s in
            (s.runID, s.sweep, s.seed, s.fold, s.status.rawValue, s.validationAccuracy, s.testAccuracy, s.durationSeconds, s.config)
        }
        if let jsonOutput {
            try jsonOutput.print(rows.map { r -> Any in
                ["run_id": r.0, "sweep": r.1, "seed": r.2, "fold": r.3, "status": r.4,
                 "validation_accuracy": jsonValue(.of(r.5)), "test_accuracy": jsonValue(.of(r.6)),
                 "duration_seconds": jsonValue(.of(r.7)),
                 "config": (try? JSONSerialization.jsonObject(with: Data(r.8.utf8))) ?? r.8] as [String: Any]
            })
            return
        }
        print(["run", "sweep", "seed", "fold", "status", "val_acc", "test_acc", "seconds", "config"].joined(separator: "\t"))
        for r in rows {
            print(["\(r.0)", r.1, "\(r.2)", "\(r.3)", r.4, percent(r.5), percent(r.6),
                   r.7.map { String(format: "%.3f", $0) } ?? "-", r.8].joined(separator: "\t"))
        }
    }
}

func percent(_ value: Double?) -> String { value.map { String(format: "%.2f%%", $0 * 100) } ?? "-" }
