import Foundation

/// Why a file's columns do not fit the features a model takes.
///
/// ``file`` names the file as the user did; ``expected`` are the model's feature names, in the
/// model's order. The caller words the message (it knows which model it means).
public struct FeatureMismatchError: Error, Equatable, Sendable {
    public enum Kind: Equatable, Sendable {
        /// The file's columns are exactly the model's features, but labels are needed.
        case noLabelColumn(columns: Int)
        /// The file has this many columns: neither the features alone nor one more.
        case columnCount(Int)
        /// With its label column set aside, the file has this many features.
        case featureCount(Int)
        /// The file and the model both name their features, and the file's names (given here,
        /// in file order) are not the model's in any order.
        case featureNames([String])
        /// The file's header names some of the model's features but not these (in the model's order).
        case missingFeatures([String])
        /// The file's header names every feature and more than one other column (given here):
        /// which of them is the label must be said.
        case unknownColumns([String])
    }

    /// The file as the user named it.
    public var file: String
    /// The model's feature names, in its order.
    public var expected: [String]
    /// What does not fit.
    public var kind: Kind

    public init(file: String, expected: [String], kind: Kind) {
        self.file = file
        self.expected = expected
        self.kind = kind
    }
}

extension DataFile {
    /// Reads rows to score with a model that takes the features `features`, in that order.
    ///
    /// - Parameters:
    ///   - url: a file URL.
    ///   - features: the model's feature names (`x1`, `x2`, ... when it was trained on a file
    ///     without a header).
    ///   - options: how to read the file. Its ``ImportOptions/labelColumn`` is used as given
    ///     when `inferLabelColumn` is false.
    ///   - inferLabelColumn: decide the label column: when the file's header names every one
    ///     of the model's features, the one other column is the label, wherever it is (none: no
    ///     label column); otherwise by the number of columns: exactly the model's features
    ///     means no label column, one more means the last is the label.
    ///   - requireLabels: the file must have a label column.
    /// - Returns: `rowCount` x `features.count` values, columns in the model's order (see
    ///   ``DataTable/aligned(toFeatures:file:)``), with the labels as written when the file
    ///   has a label column.
    /// - Throws: ``DataImportError`` for the file itself (unreadable, bad values);
    ///   ``FeatureMismatchError`` when its columns do not fit the model's features.
    public static func readTable(_ url: URL, forFeatures features: [String], options: ImportOptions = .init(),
                                 inferLabelColumn: Bool, requireLabels: Bool) throws -> DataTable {
        try parseTable(text(of: url, delimiter: options.delimiter), file: url.relativePath, forFeatures: features, options: options,
                       inferLabelColumn: inferLabelColumn, requireLabels: requireLabels)
    }

    /// Parses the text of a file of rows to score (see ``readTable(_:forFeatures:options:inferLabelColumn:requireLabels:)``).
    public static func parseTable(_ text: String, file: String, forFeatures features: [String], options: ImportOptions = .init(),
                                  inferLabelColumn: Bool, requireLabels: Bool) throws -> DataTable {
        let mismatch = { (kind: FeatureMismatchError.Kind) in FeatureMismatchError(file: file, expected: features, kind: kind) }
        var options = options
        if inferLabelColumn, let byName = try labelColumnByName(text, file: file, features: features, options: options,
                                                                requireLabels: requireLabels) {
            options.labelColumn = byName
        } else if inferLabelColumn {
            options.labelColumn = .last
            let columns = try columnCount(text, file: file, options: options)
            if columns == features.count {
                if requireLabels { throw mismatch(.noLabelColumn(columns: columns)) }
                options.labelColumn = .none
            } else if columns != features.count + 1 {
                throw mismatch(.columnCount(columns))
            }
        }
        let name = URL(fileURLWithPath: file).deletingPathExtension().lastPathComponent
        let table = try parseTable(text, file: file, name: name, options: options)
        guard table.featureCount == features.count else { throw mismatch(.featureCount(table.featureCount)) }
        if requireLabels, table.labels == nil { throw mismatch(.noLabelColumn(columns: table.featureCount)) }
        return try table.aligned(toFeatures: features, file: file)
    }
}

extension DataFile {
    /// The label column as the file's header tells it: `nil` when the file has no header, or a
    /// header that names none of the model's features (it is then matched by position).
    /// - Throws: ``FeatureMismatchError`` when the header names some of the model's features
    ///   but not all, or every one and more than one other column.
    static func labelColumnByName(_ text: String, file: String, features: [String], options: ImportOptions,
                                  requireLabels: Bool) throws -> ImportOptions.LabelColumn? {
        var probe = options
        probe.labelColumn = .none
        guard let names = try? TableReader(file: file, name: file, options: probe).headerNames(text) else { return nil }
        let mismatch = { (kind: FeatureMismatchError.Kind) in FeatureMismatchError(file: file, expected: features, kind: kind) }
        let known = Set(features)
        let missing = features.filter { !names.contains($0) }
        if !missing.isEmpty {
            if !names.contains(where: known.contains) || DataTable.isPositional(features) { return nil }
            throw mismatch(.missingFeatures(missing))
        }
        let others = names.filter { !known.contains($0) }
        switch others.count {
        case 0:
            if requireLabels { throw mismatch(.noLabelColumn(columns: names.count)) }
            return ImportOptions.LabelColumn.none
        case 1:
            return .name(others[0])
        default:
            throw mismatch(.unknownColumns(others))
        }
    }
}

extension DataTable {
    /// Whether `names` are the names given to columns without a header: `x1`, `x2`, ... in order.
    static func isPositional(_ names: [String]) -> Bool {
        names.enumerated().allSatisfy { $1 == "x\($0 + 1)" }
    }

    /// The table with its feature columns in the order of `features`.
    ///
    /// Columns are matched by name, in any order, when the table's are named (a file without a
    /// header has positional names `x1`, `x2`, ...) and either `features` are too or the
    /// table's names are all among them (a model trained without a header, scoring a file
    /// whose header uses its `x1`, `x2`, ...); otherwise by position, unchanged.
    /// - Precondition: `featureCount == features.count`.
    /// - Throws: ``FeatureMismatchError`` (``FeatureMismatchError/Kind/featureNames(_:)``) when
    ///   both are named and the names differ, or a name repeats.
    public func aligned(toFeatures features: [String], file: String) throws -> DataTable {
        precondition(featureCount == features.count, "the table has \(featureCount) features, \(features.count) expected")
        guard !Self.isPositional(featureNames), featureNames != features else { return self }
        if Self.isPositional(features), !featureNames.allSatisfy(features.contains) { return self }
        let order = features.map { featureNames.firstIndex(of: $0) }
        guard Set(featureNames).count == featureCount, !order.contains(nil) else {
            throw FeatureMismatchError(file: file, expected: features, kind: .featureNames(featureNames))
        }
        return selectingFeatures(order.map { $0! })
    }
}
