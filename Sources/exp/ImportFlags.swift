import ArgumentParser
import Datasets

/// How a data file is read: the options `exp data import` and `exp train` share, with the
/// meaning of a grid file's `dataset` object (docs/data.md, docs/grid.md).
struct ImportFlags: ParsableArguments {
    @Option(name: .customLong("label-column"), help: "The label column: a header name, or a 0-based column index (default: the last column).")
    var labelColumn: String?
    @Option(name: .long, help: "Whether the first row is a header: auto, yes or no.") var header: String = "auto"
    @Option(name: .long, help: "The field delimiter, one character; '\\t' or 'tab' for a tab (default: ',').") var delimiter: String?
    @Flag(name: .customLong("decimal-comma"), help: "Numbers use a decimal comma (5,0); needs another --delimiter.")
    var decimalComma = false

    func validate() throws {
        if ImportOptions.Header(rawValue: header) == nil {
            throw ValidationError("--header must be auto, yes or no, not '\(header)'")
        }
        if let delimiter, delimiterCharacter(delimiter) == nil {
            throw ValidationError("--delimiter must be one character ('\\t' or 'tab' for a tab), not '\(delimiter)'")
        }
        if let labelColumn, labelColumn.isEmpty { throw ValidationError("--label-column must not be empty") }
    }

    /// Whether any flag was given (every one left at its default reads as a plain file does).
    var isDefault: Bool { labelColumn == nil && header == "auto" && delimiter == nil && !decimalComma }

    var options: ImportOptions {
        ImportOptions(header: ImportOptions.Header(rawValue: header) ?? .auto,
                      labelColumn: labelColumn.map(parseLabelColumn) ?? .last,
                      delimiter: delimiter.flatMap(delimiterCharacter), decimalComma: decimalComma)
    }

    /// The flags given, as a grid file's `dataset` object writes them (`label_column`,
    /// `header`, `delimiter`, `decimal_comma`), leaving out those at their defaults.
    var gridKeys: [String: Any] {
        var keys: [String: Any] = [:]
        if let labelColumn {
            switch parseLabelColumn(labelColumn) {
            case .index(let index): keys["label_column"] = index
            default: keys["label_column"] = labelColumn
            }
        }
        if header != "auto" { keys["header"] = header }
        if let character = delimiter.flatMap(delimiterCharacter) { keys["delimiter"] = String(character) }
        if decimalComma { keys["decimal_comma"] = true }
        return keys
    }
}
