import ArgumentParser
import Foundation
import Tracker

struct RunsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "runs", abstract: "List runs, one line each, filtered and sorted without SQL.",
        discussion: """
            NAME in --where, --sort and --columns is a run column (\(RunSelection.columns.map(\.name).joined(separator: ", "))), \
            a hyperparameter, or tag.KEY, the value of the run's tag KEY (set with `exp tag`; = and != only); values are \
            typed by the schema. A missing or NaN metric, or a tag the run does not have, matches no comparison but !=, \
            and sorts last in both directions. --columns also takes config, tags (every tag of the run) and note; \
            JSON and CSV records have a tags column by default.

            Examples:
              exp runs --sweep iris --where 'learning_rate<=0.1' --where 'validation_accuracy>0.96' \\
                --sort -validation_accuracy --limit 5 --columns run_id,learning_rate,validation_accuracy
              exp runs --where tag.reviewed=yes --columns run_id,validation_accuracy,tags
            """)

    @OptionGroup var database: DatabaseOptions
    @Option(name: .long, help: "Only runs of this sweep.") var sweep: String?
    @Option(name: .long, help: "Only runs with this status (queued, running, finished, diverged, failed, interrupted).")
    var status: String?
    @Option(name: .customLong("where"), help: ArgumentHelp("A condition NAME OP VALUE, OP one of = != < <= > >=; repeated conditions are joined by AND.", valueName: "condition"))
    var conditions: [String] = []
    @Option(name: .long, parsing: .unconditional,
            help: ArgumentHelp("Sort keys, comma-separated; a leading - sorts descending (e.g. -validation_accuracy,run_id).", valueName: "keys"))
    var sort: String?
    @Option(name: .long, help: "At most this many runs.") var limit: Int?
    @Option(name: .long, help: ArgumentHelp("Columns to print, comma-separated (names as in --where, and config, tags, note).", valueName: "names"))
    var columns: String?
    @Flag(name: .long, help: "Print one JSON array of runs instead of a table (as --format json).") var json = false
    @Flag(name: .long, help: "Print CSV with a header row (as --format csv); text cells are safe from spreadsheet formulas.") var csv = false
    @Option(name: .long, help: "Output format: table, json (one array), jsonl (one run per line) or csv.") var format: String?

    static let defaultColumns = ["run_id", "sweep", "seed", "fold", "status", "validation_accuracy", "test_accuracy", "duration_seconds", "config"]
    /// JSON and CSV records, read by programs, also carry every tag of the run.
    static let defaultRecordColumns = defaultColumns + ["tags"]
    static let tableHeadings = ["run_id": "run", "validation_accuracy": "val_acc", "test_accuracy": "test_acc", "duration_seconds": "seconds"]

    /// The output format asked for.
    var outputFormat: String { json ? "json" : csv ? "csv" : format ?? "table" }

    func validate() throws {
        if let format, !["table", "json", "jsonl", "csv"].contains(format) { throw ValidationError("--format must be table, json, jsonl or csv") }
        if json && csv { throw ValidationError("--json and --csv cannot go together") }
        if json || csv, let format, format != outputFormat { throw ValidationError("--\(outputFormat) is --format \(outputFormat); it cannot go with --format \(format)") }
        if let status, RunStatus(rawValue: status) == nil {
            throw ValidationError("--status: unknown status '\(status)'; valid: \(RunStatus.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        if let limit, limit < 1 { throw ValidationError("--limit must be at least 1, not \(limit)") }
        _ = try selection()
        _ = try fields()
    }

    /// The runs asked for, as the store selects them.
    /// - Throws: `ValidationError` for an unknown name, a malformed condition or a mistyped value.
    func selection() throws -> RunSelection {
        let parsed = try conditions.map { text -> RunSelection.Condition in
            let (name, comparison, value) = try Self.parseCondition(text)
            let field = try RunField(name, option: "--where")
            return .init(field: field.selectionField, comparison: comparison, value: try field.value(value, for: comparison, option: "--where"))
        }
        let keys = try (sort ?? "").split(separator: ",").map { key -> RunSelection.SortKey in
            let descending = key.hasPrefix("-")
            let name = String(key.dropFirst(descending || key.hasPrefix("+") ? 1 : 0)).trimmingCharacters(in: .whitespaces)
            return .init(field: try RunField(name, option: "--sort").selectionField, descending: descending)
        }
        return RunSelection(sweep: sweep, status: status.flatMap(RunStatus.init(rawValue:)), conditions: parsed, sort: keys, limit: limit)
    }

    /// `NAME OP VALUE` split at its first operator (spaces around each part are dropped).
    static func parseCondition(_ text: String) throws -> (String, RunSelection.Comparison, String) {
        guard let start = text.firstIndex(where: { "=!<>".contains($0) }) else {
            throw ValidationError("--where '\(text)': expected NAME OP VALUE with OP one of = != < <= > >=")
        }
        let rest = text[start...]
        let op = ["!=", "<=", ">=", "=", "<", ">"].first { rest.hasPrefix($0) }
        guard let op, let comparison = RunSelection.Comparison(rawValue: op) else {
            throw ValidationError("--where '\(text)': expected NAME OP VALUE with OP one of = != < <= > >=")
        }
        let name = text[..<start].trimmingCharacters(in: .whitespaces)
        let value = rest.dropFirst(op.count).trimmingCharacters(in: .whitespaces)
        guard !name.isEmpty, !value.isEmpty else {
            throw ValidationError("--where '\(text)': expected NAME OP VALUE with OP one of = != < <= > >=")
        }
        return (name, comparison, value)
    }

    /// The columns to print.
    func fields() throws -> [RunField] {
        let names = columns.map { $0.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) } }
            ?? (outputFormat == "table" ? Self.defaultColumns : Self.defaultRecordColumns)
        guard !names.isEmpty else { throw ValidationError("--columns: name at least one column") }
        return try names.map { try RunField($0, option: "--columns", printable: true) }
    }

    func run() throws {
        let store = try openStore(database.db, readOnly: true)
        let fields = try fields()
        let runs = try store.runSummaries(try selection())
        let annotations = fields.contains(where: \.isAnnotation) ? try store.runAnnotations(sweep: sweep) : ([:], [:])
        let rows = RunField.rows(runs, fields, annotations: annotations)
        let names = fields.map(\.name)
        switch outputFormat {
        case "json", "jsonl":
            RunRecords(names: names, rows: rows).print(lines: outputFormat == "jsonl")
        case "csv":
            RunRecords(names: names, rows: rows).printCSV()
        default:
            print(names.map { Self.tableHeadings[$0] ?? $0 }.joined(separator: "\t"))
            let percents = names.map { $0.hasSuffix("_accuracy") }
            for row in rows { print(zip(row, percents).map { $0.table(percent: $1) }.joined(separator: "\t")) }
        }
        guard status == nil || status == RunStatus.queued.rawValue else { return }
        for (name, cells) in try store.unqueuedCells() where sweep == nil || sweep == name {
            note("note: sweep '\(name)' has \(cells) more queued cells, not listed: they are written as runs when workers need them")
        }
    }
}

func percent(_ value: Double?) -> String { value.map { String(format: "%.2f%%", $0 * 100) } ?? "-" }
