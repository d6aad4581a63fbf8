import Foundation

/// Reads a whole delimited text into a ``Dataset`` (records, layout, values, labels), or into a
/// ``DataTable`` of rows to score, with the same rules.
///
/// In `strict` mode (used for ``Dataset/canonicalCSV``) nothing is guessed: `,`-separated, a
/// header, the label last, fields taken verbatim (no trimming, no byte order mark, no
/// row-number column, any label text), and any number of classes.
struct TableReader {
    var file: String
    var name: String
    var options: ImportOptions
    var strict: Bool = false

    typealias Problem = DataImportError.Problem

    private func fail(_ problems: [Problem]) -> DataImportError {
        DataImportError(file: file, problems: problems)
    }

    private func fail(_ line: Int, _ message: String) -> DataImportError {
        fail([Problem(line: line, message: message)])
    }

    /// The rows of a file, before classes are made of the labels.
    private struct Rows {
        var layout: TableLayout
        var features: [Double]
        /// One label per row, or `nil` without a label column.
        var labels: [String]?
        var rowCount: Int
        /// What was read in a way the user may not expect (one line each).
        var notes: [String]
    }

    /// Reads a data set: labels are required and make at least 2 classes (any number in `strict` mode).
    func read(_ input: String) throws -> Dataset {
        try readNoted(input).dataset
    }

    /// Reads a data set (see ``read(_:)``) with the notes on how it was read.
    func readNoted(_ input: String) throws -> (dataset: Dataset, notes: [String]) {
        if !strict, options.labelColumn == .none {
            throw fail(0, "no label column: a data set needs one (reading without a label column is only for scoring rows with a model)")
        }
        let rows = try readRows(input)
        var notes = rows.notes
        var labelTexts = rows.labels ?? []
        guard !labelTexts.isEmpty || strict else { throw fail(0, "no data rows") }
        if !strict, let names = LabelSpellings.merging(Set(labelTexts)) {
            labelTexts = labelTexts.map { names[$0]! }
            notes.append(LabelSpellings.note(names))
        }
        let classNames = ClassOrder.sorted(labelTexts)
        if classNames.count < 2 && !strict {
            throw fail(0, "only one class ('\(classNames[0])') in \(labelTexts.count) rows: classification needs at least 2 classes")
        }
        let index = Dictionary(uniqueKeysWithValues: classNames.enumerated().map { ($1, $0) })
        let dataset = Dataset(name: name, featureNames: rows.layout.featureNames, classNames: classNames,
                              features: rows.features, labels: labelTexts.map { index[$0]! })
        if !strict {
            for (className, count) in zip(classNames, dataset.classCounts) where count == 1 {
                notes.append("class '\(className)' has 1 row: too few to appear in both the training and the test part of a split")
            }
        }
        return (dataset, notes)
    }

    /// Reads rows to score: at least one row; labels, if the file has a label column, as written.
    func readTable(_ input: String) throws -> DataTable {
        let rows = try readRows(input)
        guard rows.rowCount > 0 else { throw fail(0, "no data rows") }
        return DataTable(name: name, featureNames: rows.layout.featureNames, features: rows.features,
                         labels: rows.labels, rowCount: rows.rowCount)
    }

    /// The number of columns the data records have as laid out (features and label, if any;
    /// a row-number column is not counted), without reading the values.
    func columnCount(_ input: String) throws -> Int {
        try layOut(input, checkShape: false).layout.columnCount
    }

    /// The names of the feature columns when the file has a header (a row-number column left
    /// out), or `nil` when it has none.
    func headerNames(_ input: String) throws -> [String]? {
        let layout = try layOut(input, checkShape: false).layout
        guard layout.skippedRecords == 1, layout.metadataClassNames == nil else { return nil }
        return layout.featureNames
    }

    private func readRows(_ input: String) throws -> Rows {
        let (records, layout) = try layOut(input, checkShape: true)
        return try readRows(records.dropFirst(layout.skippedRecords), layout: layout)
    }

    /// Tokenises the text and decides its layout.
    private func layOut(_ input: String, checkShape: Bool) throws -> (records: [TextRecord], layout: TableLayout) {
        var text = input
        if !strict, text.unicodeScalars.first == "\u{FEFF}" {
            text = String(text.unicodeScalars.dropFirst())
        }
        let delimiter = try resolveDelimiter()
        let scanner = RecordScanner(delimiter: delimiter, trim: !strict)
        let raw: [RecordScanner.RawRecord]
        do {
            raw = try scanner.rawRecords(text)
        } catch RecordScanner.ScanError.unterminatedQuote(let line) {
            throw fail(line, "unterminated quoted field: no closing '\"' before the end of the file")
        }
        guard !raw.isEmpty else { throw fail(0, "no data rows: the file is empty") }
        if options.delimiter == nil && !strict {
            try checkDelimiterLooksRight(raw, scanner: scanner)
        }
        let records = try raw.map { TextRecord(line: $0.line, fields: try scanner.fields(of: $0)) }

        do {
            return (records, try LayoutDetector(records: records, options: options, strict: strict).detect(checkShape: checkShape))
        } catch let error as ProblemError {
            throw fail([error.problem])
        }
    }

    private func resolveDelimiter() throws -> Unicode.Scalar {
        let character = strict ? "," : (options.delimiter ?? ",")
        let scalars = character.unicodeScalars
        guard scalars.count == 1, let scalar = scalars.first, !["\"", "\r", "\n"].contains(scalar) else {
            throw fail(0, "the delimiter must be one character other than '\"' or a line end, not \(character.debugDescription)")
        }
        if options.decimalComma && scalar == "," {
            throw fail(0, "--decimal-comma needs a delimiter other than ',' (for example --delimiter ';')")
        }
        return scalar
    }

    /// Refuses a file that is evidently `;`- or tab-separated when no delimiter was given.
    private func checkDelimiterLooksRight(_ raw: [RecordScanner.RawRecord], scanner: RecordScanner) throws {
        let commas = raw.map { scanner.unquotedCount(of: ",", in: $0.text) }
        let semicolons = raw.map { scanner.unquotedCount(of: ";", in: $0.text) }
        let tabs = raw.map { scanner.unquotedCount(of: "\t", in: $0.text) }
        let noComma = commas.allSatisfy { $0 == 0 }
        let steadySemicolons = semicolons[0] > 0 && semicolons.allSatisfy { $0 == semicolons[0] }
        if steadySemicolons || (noComma && semicolons.contains { $0 > 0 }) {
            let decimalComma = raw.contains { record in
                record.text.split(separator: ";").contains { piece in
                    let field = piece.trimmingCharacters(in: .whitespaces)
                    return field.contains(",") && NumberParsing.isDecimal(field.replacingOccurrences(of: ",", with: "."))
                }
            }
            let advice = decimalComma ? "--delimiter ';' --decimal-comma (numbers like 5,0 use a decimal comma)" : "--delimiter ';'"
            throw fail(0, "the file looks ';'-separated, not ','-separated: read it with \(advice)")
        }
        if noComma && tabs[0] > 0 && tabs.allSatisfy({ $0 == tabs[0] }) {
            throw fail(0, "the file looks tab-separated, not ','-separated: read it with --delimiter '\\t'")
        }
    }

    private func readRows(_ data: ArraySlice<TextRecord>, layout: TableLayout) throws -> Rows {
        var problems: [Problem] = []
        var features: [Double] = []
        features.reserveCapacity(data.count * layout.featureColumns.count)
        var labelTexts: [String] = []
        labelTexts.reserveCapacity(data.count)
        var rowCount = 0
        /// Per file column, the fields that are words rather than numbers, with their problem's index.
        var textFields: [Int: [(problem: Int, text: String)]] = [:]
        let expected = layout.expectedFieldCount
        for record in data {
            let fields = record.fields
            guard fields.count == expected else {
                let noun = fields.count == 1 ? "field" : "fields"
                problems.append(Problem(line: record.line, message: "\(fields.count) \(noun), \(expected) expected"))
                continue
            }
            let before = problems.count
            var values: [Double] = []
            values.reserveCapacity(layout.featureColumns.count)
            for column in layout.featureColumns {
                switch NumberParsing.parse(fields[column], decimalComma: options.decimalComma) {
                case .number(let value):
                    values.append(value)
                case .problem(let message):
                    if !fields[column].isEmpty && NumberParsing.couldBeColumnName(fields[column]) {
                        textFields[column, default: []].append((problems.count, fields[column]))
                    }
                    problems.append(Problem(line: record.line, column: column + 1, message: message))
                }
            }
            var label: String?
            if let column = layout.labelColumn {
                label = labelText(fields[column], layout: layout, line: record.line, column: column + 1, problems: &problems)
            }
            if problems.count == before {
                features += values
                if let label { labelTexts.append(label) }
                rowCount += 1
            }
        }
        guard problems.isEmpty else {
            throw fail(textColumnsSummarised(problems, textFields: textFields, layout: layout, records: data.count))
        }
        var notes: [String] = []
        let markers = Set(labelTexts.filter { NumberParsing.missingTokens.contains($0.lowercased()) }).sorted()
        if !markers.isEmpty {
            let list = markers.map { "'\($0)'" }.joined(separator: ", ")
            notes.append("label \(list) \(markers.count == 1 ? "is" : "are") read as a class name, not as a missing value "
                         + "(only an empty label is missing)")
        }
        return Rows(layout: layout, features: features, labels: layout.labelColumn == nil ? nil : labelTexts,
                    rowCount: rowCount, notes: notes)
    }

    /// `problems` with the per-row problems of each text column (a column in which words
    /// such as `red`, `blue` fill more than half of the rows) replaced by one problem for the
    /// column, in the place of its first row's.
    private func textColumnsSummarised(_ problems: [Problem], textFields: [Int: [(problem: Int, text: String)]],
                                       layout: TableLayout, records: Int) -> [Problem] {
        var replaced: [Int: Problem?] = [:]
        for (column, fields) in textFields where fields.count * 2 > records {
            var examples: [String] = []
            for field in fields where !examples.contains(field.text) && examples.count < 3 { examples.append(field.text) }
            let name = layout.featureNames[layout.featureColumns.firstIndex(of: column)!]
            let more = Set(fields.map(\.text)).count > examples.count ? ", ..." : ""
            let message = "column \(column + 1) '\(name)' holds text: \(examples.map { "'\($0)'" }.joined(separator: ", "))\(more); "
                + "exp trains on numeric features only"
            for (position, field) in fields.enumerated() {
                let summary: Problem? = position == 0 ? Problem(line: 0, message: message) : nil
                replaced[field.problem] = .some(summary)
            }
        }
        return problems.enumerated().compactMap { index, problem in replaced[index] ?? problem }
    }

    /// The class name in a label field, or `nil` after recording a problem.
    private func labelText(_ field: String, layout: TableLayout, line: Int, column: Int,
                           problems: inout [Problem]) -> String? {
        if strict { return field }
        if field.isEmpty {
            problems.append(Problem(line: line, column: column, message: NumberParsing.missingMessage(field, what: "label")))
            return nil
        }
        if let names = layout.metadataClassNames {
            guard let index = Int(field), index >= 0, index < names.count else {
                problems.append(Problem(line: line, column: column,
                                        message: "label '\(field)' is not a class index 0...\(names.count - 1) (line 1 names \(names.count) classes)"))
                return nil
            }
            return names[index]
        }
        return field
    }
}
