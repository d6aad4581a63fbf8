/// Rows read to be scored by a trained model: numeric features and, when the file has a label
/// column, the label of each row as written.
///
/// ``DataFile/readTable(_:name:options:)`` reads it with the same rules as a ``Dataset``
/// (byte order mark, line ends, blank lines, spacing, header, row numbers, missing and
/// non-finite values), but it does not make classes of the labels: one row, or rows of a single
/// class, are fine, and a file may have no label column at all (``ImportOptions/LabelColumn/none``).
/// Checking the labels against a model's classes is the caller's job.
///
/// Shapes: ``features`` is row-major with ``rowCount`` x ``featureCount`` finite entries;
/// ``labels``, when present, has ``rowCount`` entries.
public struct DataTable: Sendable, Equatable {
    /// A short name, usually the file name without extension.
    public var name: String
    /// One name per feature column: from the header, or `x1`, `x2`, ... without one.
    public var featureNames: [String]
    /// The feature matrix, row-major, `rowCount` x `featureCount` finite values.
    public var features: [Double]
    /// The label of each row as written (trimmed; mapped through a scikit-learn metadata line's
    /// class names), or `nil` when the file was read without a label column.
    public var labels: [String]?
    /// The number of rows.
    public var rowCount: Int

    /// The number of feature columns: `featureNames.count`.
    public var featureCount: Int { featureNames.count }

    /// The distinct labels in ``ClassOrder`` (as a data set's classes are); empty without labels.
    public var labelNames: [String] { ClassOrder.sorted(labels ?? []) }

    /// Creates a table.
    /// - Precondition: `features.count == rowCount * featureNames.count` and, when given,
    ///   `labels.count == rowCount`.
    public init(name: String, featureNames: [String], features: [Double], labels: [String]?, rowCount: Int) {
        precondition(features.count == rowCount * featureNames.count,
                     "features has \(features.count) values, expected \(rowCount) rows x \(featureNames.count) features")
        precondition(labels.map { $0.count == rowCount } ?? true, "labels must have one entry per row")
        self.name = name
        self.featureNames = featureNames
        self.features = features
        self.labels = labels
        self.rowCount = rowCount
    }

    /// The table with its feature columns in the order `order` (indices into ``featureNames``).
    /// - Precondition: every index is in `0..<featureCount`.
    public func selectingFeatures(_ order: [Int]) -> DataTable {
        precondition(order.allSatisfy { $0 >= 0 && $0 < featureCount }, "feature index out of range")
        let width = featureCount
        var selected: [Double] = []
        selected.reserveCapacity(rowCount * order.count)
        for row in 0..<rowCount {
            for column in order { selected.append(features[row * width + column]) }
        }
        return DataTable(name: name, featureNames: order.map { featureNames[$0] }, features: selected,
                         labels: labels, rowCount: rowCount)
    }
}
