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
    ///   - inferLabelColumn: decide the label column from the number of columns: exactly the
    ///     model's features means no label column, one more means the last is the label.
    ///   - requireLabels: the file must have a label column.
    /// - Returns: `rowCount` x `features.count` values, columns in the model's order (see
    ///   ``DataTable/aligned(toFeatures:file:)``), with the labels as written when the file
    ///   has a label column.
    /// - Throws: ``DataImportError`` for the file itself (unreadable, bad values);
    ///   ``FeatureMismatchError`` when its columns do not fit the model's features.
    public static func readTable(_ url: URL, forFeatures features: [String], options: ImportOptions = .init(),
                                 inferLabelColumn: Bool, requireLabels: Bool) throws -> DataTable {
        try parseTable(text(of: url), file: url.relativePath, forFeatures: features, options: options,
                       inferLabelColumn: inferLabelColumn, requireLabels: requireLabels)
    }

    /// Parses the text of a file of rows to score (see ``readTable(_:forFeatures:options:inferLabelColumn:requireLabels:)``).
    public static func parseTable(_ text: String, file: String, forFeatures features: [String], options: ImportOptions = .init(),
                                  inferLabelColumn: Bool, requireLabels: Bool) throws -> DataTable {
        let mismatch = { (kind: FeatureMismatchError.Kind) in FeatureMismatchError(file: file, expected: features, kind: kind) }
        var options = options
        if inferLabelColumn {
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

extension DataTable {
    /// The table with its feature columns in the order of `features`.
    ///
    /// Columns are matched by name when both the table and `features` name them (a file
    /// without a header has positional names `x1`, `x2`, ...), in any order; otherwise by
    /// position, unchanged.
    /// - Precondition: `featureCount == features.count`.
    /// - Throws: ``FeatureMismatchError`` (``FeatureMismatchError/Kind/featureNames(_:)``) when
    ///   both are named and the names differ, or a name repeats.
    public func aligned(toFeatures features: [String], file: String) throws -> DataTable {
        precondition(featureCount == features.count, "the table has \(featureCount) features, \(features.count) expected")
        let positional = { (names: [String]) in names.enumerated().allSatisfy { $1 == "x\($0 + 1)" } }
        guard !positional(featureNames), !positional(features), featureNames != features else { return self }
        let order = features.map { featureNames.firstIndex(of: $0) }
        guard Set(featureNames).count == featureCount, !order.contains(nil) else {
            throw FeatureMismatchError(file: file, expected: features, kind: .featureNames(featureNames))
        }
        return selectingFeatures(order.map { $0! })
    }
}
