import ArgumentParser
import Datasets
import Foundation
import Sweep
import Tracker

struct DataCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "data", abstract: "Import data files into the experiment database and inspect them.",
        discussion: """
            How files are read is documented in docs/data.md.

            Example:
              exp data import Data/wine.csv --header yes --label-column class
            """,
        subcommands: [Import.self, List.self, Show.self])

    struct Import: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Read a data file and store it: the same content is stored once; new content under a stored name becomes its next version.",
            discussion: """
                Examples:
                  exp data import Data/iris.data
                  exp data import measurements.csv --name flowers --label-column species --delimiter ';' --decimal-comma
                """)

        @Argument(help: "The data file (delimited text, one row per line, one label column).") var file: String
        @Option(name: .long, help: "The data set's name (default: the file name without its extension).") var name: String?
        @OptionGroup var importFlags: ImportFlags
        @OptionGroup var database: DatabaseOptions

        func validate() throws {
            if let name, name.trimmingCharacters(in: .whitespaces).isEmpty { throw ValidationError("--name must not be empty") }
        }

        func run() throws {
            let options = importFlags.options
            let dataset: Dataset
            do {
                let read = try DatasetImport.readNoted(URL(fileURLWithPath: file), name: name, options: options)
                dataset = read.dataset
                for line in read.notes { note("note: \(file): \(line)") }
            } catch {
                throw ExpError.rejected("\(error)")
            }
            let store = try openStore(database.db)
            let stored: DatasetImport.Stored
            do { stored = try DatasetImport.store(dataset, sourcePath: file, in: store) } catch {
                throw ExpError.database(error, path: database.db)
            }
            let record = stored.record
            let shape = "\(record.rowCount) rows x \(record.featureNames.count) features, \(record.classNames.count) classes"
            if stored.isNew {
                print("imported \(record.name)@\(record.version): \(shape), sha256 \(record.sha256.prefix(12)) -> \(database.db)")
            } else {
                let renamed = record.name == dataset.name ? "" : " (not stored again as '\(dataset.name)')"
                print("already stored as \(record.name)@\(record.version)\(renamed): \(shape), sha256 \(record.sha256.prefix(12)), same content")
            }
        }
    }

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "List the stored data sets, every version, with the sweeps that use them.",
            discussion: """
                Example:
                  exp data list --db runs.db
                """)
        @OptionGroup var database: DatabaseOptions

        func run() throws {
            let store = try openStore(database.db, readOnly: true)
            let rows = try store.datasetUsage().map { u in
                ["\(u.dataset.name)@\(u.dataset.version)", "\(u.dataset.rowCount)", "\(u.dataset.featureNames.count)",
                 "\(u.dataset.classNames.count)", String(u.dataset.sha256.prefix(12)), u.dataset.importedAt ?? "-",
                 "\(u.sweeps)", "\(u.runs)", u.dataset.sourcePath ?? "-"]
            }
            if rows.isEmpty {
                print("no data sets in \(database.db); add one with exp data import FILE")
                return
            }
            printTable(["data set", "rows", "features", "classes", "sha256", "imported", "sweeps", "runs", "source"], rows,
                       rightAligned: [1, 2, 3, 6, 7])
        }
    }

    struct Show: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Describe a stored data set: rows, features, class counts, duplicate rows and feature ranges.",
            discussion: """
                Examples:
                  exp data show iris
                  exp data show iris@2
                """)

        @Argument(help: "The data set's name (its newest version), or name@version.") var dataset: String
        @OptionGroup var database: DatabaseOptions

        func run() throws {
            let store = try openStore(database.db, readOnly: true)
            let (name, version) = parseDatasetReference(dataset)
            let found = try version.map { try store.dataset(named: name, version: $0) } ?? store.dataset(named: name)
            guard let record = found else {
                let stored = try store.datasets().map { "\($0.name)@\($0.version)" }
                throw ExpError.rejected("no data set '\(dataset)' in \(database.db)"
                     + (stored.isEmpty ? "" : " (stored: \(stored.joined(separator: ", ")))"))
            }
            let data: Dataset
            do { data = try Dataset.fromCanonicalCSV(name: record.name, text: record.content, classNames: record.classNames) } catch {
                throw ExpError.incomplete("\(record.name)@\(record.version): stored content cannot be read: \(error)")
            }
            let summary = DatasetSummary(data)
            let sweeps = try store.sweeps(datasetID: record.id!).map { "\($0.name) (\($0.runs) runs)" }
            print("data set: \(record.name)@\(record.version)")
            print("sha256: \(record.sha256)")
            print("source: \(record.sourcePath ?? "-")")
            print("imported: \(record.importedAt ?? "-")")
            print("sweeps: \(sweeps.isEmpty ? "none" : sweeps.joined(separator: ", "))")
            print("rows: \(data.rowCount)")
            print("features: \(data.featureCount)")
            print("classes: \(data.classNames.count)")
            let share = { (n: Int) in String(format: "%.1f%%", Double(n) / Double(max(data.rowCount, 1)) * 100) }
            printTable(["class", "rows", "share"], summary.classCounts.map { [$0.name, "\($0.rows)", share($0.rows)] },
                       rightAligned: [1, 2], indent: "  ")
            print("duplicate rows: \(summary.duplicateRows) (equal to an earlier row, label included)")
            print("conflicting rows: \(summary.conflictingRows) (features equal to an earlier row's, another label)")
            print("feature ranges:")
            printTable(["feature", "min", "max", "mean", "std"], summary.features.map {
                [$0.name, number($0.minimum), number($0.maximum), number($0.mean), number($0.standardDeviation)]
            }, rightAligned: [1, 2, 3, 4], indent: "  ")
        }
    }
}

/// `--label-column`: a 0-based index when it is a whole number, else a header name.
func parseLabelColumn(_ text: String) -> ImportOptions.LabelColumn {
    if text.allSatisfy(\.isASCII), text.allSatisfy(\.isNumber), let index = Int(text) { return .index(index) }
    return .name(text)
}

/// `--delimiter`: one character, with `\t` and `tab` for a tab (hard to type in a shell).
func delimiterCharacter(_ text: String) -> Character? {
    if text == "\\t" || text == "tab" { return "\t" }
    return text.count == 1 ? text.first : nil
}

/// `name` or `name@version` (a suffix that is not a positive integer belongs to the name).
func parseDatasetReference(_ text: String) -> (name: String, version: Int?) {
    if let at = text.lastIndex(of: "@"), let version = Int(text[text.index(after: at)...]), version >= 1 {
        return (String(text[..<at]), version)
    }
    return (text, nil)
}

/// A number in at most 6 significant digits.
private func number(_ value: Double) -> String { String(format: "%.6g", value) }

/// Prints rows under a header in aligned columns.
func printTable(_ header: [String], _ rows: [[String]], rightAligned: Set<Int> = [], indent: String = "") {
    let all = [header] + rows
    let widths = header.indices.map { column in all.map { $0[column].count }.max() ?? 0 }
    for row in all {
        let cells = row.enumerated().map { i, cell in
            let pad = String(repeating: " ", count: widths[i] - cell.count)
            return rightAligned.contains(i) ? pad + cell : (i == row.count - 1 ? cell : cell + pad)
        }
        print(indent + cells.joined(separator: "  "))
    }
}
