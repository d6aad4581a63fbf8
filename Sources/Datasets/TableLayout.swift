import Foundation

/// A single problem that stops reading a file, before the rows are looked at.
struct ProblemError: Error {
    var problem: DataImportError.Problem
}

/// Where things are in a tokenised file: which record is a header, which column holds the label,
/// which columns are features and what they are called.
struct TableLayout {
    /// Records before the data (a header or a scikit-learn metadata line): 0 or 1.
    var skippedRecords: Int
    /// Fields every data record must have.
    var expectedFieldCount: Int
    /// 0-based file column of the label; `nil` when the file has none (``ImportOptions/LabelColumn/none``).
    var labelColumn: Int?
    /// 0-based file columns of the features, in file order.
    var featureColumns: [Int]
    var featureNames: [String]
    /// Class names by integer label, when a metadata line gave them.
    var metadataClassNames: [String]?

    /// The columns of a data record that are read: the features and the label, if any (a
    /// dropped row-number column is not counted).
    var columnCount: Int { featureColumns.count + (labelColumn == nil ? 0 : 1) }
}

/// Decides the ``TableLayout`` of a file from its records and the options.
struct LayoutDetector {
    var records: [TextRecord]
    var options: ImportOptions
    var strict: Bool

    typealias Problem = DataImportError.Problem

    private func isNumber(_ field: String) -> Bool {
        if case .number = NumberParsing.parse(field, decimalComma: options.decimalComma) { return true }
        return false
    }

    /// The most common field count among `records` (ties: the earliest record's).
    static func commonFieldCount(_ records: ArraySlice<TextRecord>) -> Int {
        var tally: [Int: Int] = [:]
        var order: [Int] = []
        for record in records {
            if tally[record.fields.count] == nil { order.append(record.fields.count) }
            tally[record.fields.count, default: 0] += 1
        }
        var best = 0
        var bestTally = 0
        for count in order where tally[count]! > bestTally {
            best = count
            bestTally = tally[count]!
        }
        return best
    }

    /// The layout of the file.
    /// - Parameter checkShape: whether to refuse a layout without a feature column (or, with a
    ///   label column, with only one field per line); off when only counting columns.
    func detect(checkShape: Bool = true) throws -> TableLayout {
        let first = records[0]
        if let meta = try metadataLayout() { return meta }

        let hasHeader = try headerPresent()
        let data = records.dropFirst(hasHeader ? 1 : 0)
        let dataCount = Self.commonFieldCount(data)
        var header: [String]? = hasHeader ? first.fields : nil
        var expected = hasHeader ? first.fields.count : dataCount
        var indexColumn: Int?
        if !strict, var names = header, !data.isEmpty, integersInFirstColumn(data) {
            if names.count + 1 == dataCount {
                // write.table style: the header has no field for the row names.
                names.insert("", at: 0)
                header = names
                expected = dataCount
                indexColumn = 0
            } else if names.count >= 3, names[0].isEmpty {
                indexColumn = 0
            }
        }
        guard strict || !checkShape || expected >= 2 || options.labelColumn == .none else {
            throw problem(first.line, "only 1 field per line: expected feature columns and a label separated by '\(options.delimiter ?? ",")'")
        }
        if !strict, let header { try checkUniqueNames(header, skipping: indexColumn, line: first.line) }
        let label = try labelColumn(fieldCount: expected, header: header, line: first.line)
        if let label, label == indexColumn {
            throw problem(first.line, "the label column \(label + 1) is a column of row numbers")
        }
        let featureColumns = (0..<expected).filter { $0 != label && $0 != indexColumn }
        if featureColumns.isEmpty && !strict && checkShape {
            let only = label.map { "only the label column \($0 + 1)" } ?? "only a column of row numbers"
            throw problem(first.line, "no feature columns: \(only)")
        }
        let featureNames = featureColumns.enumerated().map { position, column in
            if let header, strict || !header[column].isEmpty { return header[column] }
            return "x\(position + 1)"
        }
        return TableLayout(skippedRecords: hasHeader ? 1 : 0, expectedFieldCount: expected,
                           labelColumn: label, featureColumns: featureColumns,
                           featureNames: featureNames, metadataClassNames: nil)
    }

    private func problem(_ line: Int, _ message: String, column: Int? = nil) -> ProblemError {
        ProblemError(problem: Problem(line: line, column: column, message: message))
    }

    /// A scikit-learn style first line `N,F,name0,name1,...`: recognised when N is the number of
    /// data records and F + 1 their field count; refused on line 1 when it only half fits.
    private func metadataLayout() throws -> TableLayout? {
        guard !strict, options.header != .no, let first = records.first else { return nil }
        let fields = first.fields
        guard fields.count >= 4, let rowCount = Int(fields[0]), let featureCount = Int(fields[1]),
              rowCount >= 0, featureCount >= 1 else { return nil }
        let names = Array(fields[2...])
        guard names.allSatisfy({ !$0.isEmpty && !isNumber($0) }) else { return nil }
        let data = records.dropFirst()
        let dataCount = Self.commonFieldCount(data)
        let shape = "line 1 looks like scikit-learn metadata (rows, features, class names)"
        guard rowCount == data.count else {
            throw problem(first.line, "\(shape) but says \(rowCount) rows while the file has \(data.count)")
        }
        guard featureCount + 1 == dataCount else {
            throw problem(first.line, "\(shape) but says \(featureCount) features while the rows have \(dataCount) fields")
        }
        if case .name(let name) = options.labelColumn {
            throw problem(first.line, "no column named '\(name)': line 1 is scikit-learn metadata, not a header")
        }
        if options.labelColumn == .none {
            throw problem(first.line, "\(shape), which goes with a label column, but the file is read without one")
        }
        let label = try labelColumn(fieldCount: dataCount, header: nil, line: first.line)!
        let featureColumns = (0..<dataCount).filter { $0 != label }
        return TableLayout(skippedRecords: 1, expectedFieldCount: dataCount, labelColumn: label,
                           featureColumns: featureColumns,
                           featureNames: featureColumns.indices.map { "x\($0 + 1)" },
                           metadataClassNames: names)
    }

    private func headerPresent() throws -> Bool {
        if strict { return true }
        if case .name = options.labelColumn {
            if options.header == .no {
                throw problem(0, "the label column is given by name, which needs a header row, but header is 'no'")
            }
            return true
        }
        switch options.header {
        case .yes: return true
        case .no: return false
        case .auto: break
        }
        let first = records[0].fields
        let label: Int?
        switch options.labelColumn {
        case .index(let index): label = index
        case .none: label = nil
        default: label = first.count - 1
        }
        let later = records.dropFirst()
        for column in first.indices where column != label && !isNumber(first[column])
            && NumberParsing.couldBeColumnName(first[column]) {
            let present = later.filter { column < $0.fields.count }
            let numeric = present.filter { isNumber($0.fields[column]) }.count
            if present.isEmpty || numeric * 2 > present.count { return true }
        }
        return false
    }

    /// Whether every data record's first field is an integer: with an unnamed header field
    /// above it (pandas `to_csv`, whose index is any integers after a shuffle or a split) or no
    /// header field at all (R's `write.table`), a column of row numbers, not a feature.
    private func integersInFirstColumn(_ data: ArraySlice<TextRecord>) -> Bool {
        data.allSatisfy { record in record.fields.first.flatMap { Int($0) } != nil }
    }

    /// Refuses a header that names two columns alike: features are matched by name when a
    /// model scores a file, so a repeated name would silently pick one of the columns.
    private func checkUniqueNames(_ header: [String], skipping indexColumn: Int?, line: Int) throws {
        var columns: [String: [Int]] = [:]
        for (column, name) in header.enumerated() where column != indexColumn && !name.isEmpty {
            columns[name, default: []].append(column + 1)
        }
        let repeated = header.enumerated().filter { column, name in columns[name].map { $0.count > 1 && $0[0] == column + 1 } ?? false }
        guard !repeated.isEmpty else { return }
        let list = repeated.map { _, name in
            "'\(name)' (columns \(columns[name]!.map(String.init).joined(separator: ", ")))"
        }.joined(separator: ", ")
        throw problem(line, "repeated column names \(list): features are matched by name, so every column needs its own name")
    }

    /// The 0-based label column, or `nil` for ``ImportOptions/LabelColumn/none``.
    private func labelColumn(fieldCount: Int, header: [String]?, line: Int) throws -> Int? {
        switch options.labelColumn {
        case .none:
            return nil
        case .last:
            return fieldCount - 1
        case .index(let index):
            guard index >= 0 && index < fieldCount else {
                throw problem(line, "label column index \(index) is out of range: rows have \(fieldCount) fields (0-based 0...\(fieldCount - 1))")
            }
            return index
        case .name(let name):
            let wanted = name.trimmingCharacters(in: .whitespaces)
            guard let header, let index = header.firstIndex(of: wanted) else {
                let names = (header ?? []).map { "'\($0)'" }.joined(separator: ", ")
                throw problem(line, "no column named '\(name)' in the header (columns: \(names))")
            }
            return index
        }
    }
}
