import Determinism

/// What `exp data show` prints about a data set: class counts, repeated rows and the range of
/// every feature.
public struct DatasetSummary: Sendable {
    /// The range and moments of one feature column.
    public struct FeatureRange: Sendable, Equatable {
        public var name: String
        public var minimum: Double
        public var maximum: Double
        public var mean: Double
        /// Population standard deviation, by ``Determinism/ColumnMoments`` (the feature
        /// scaler's formula: finite for columns near 1e300 or 1e-300).
        public var standardDeviation: Double
    }

    /// Rows per class, in ``Dataset/classNames`` order.
    public var classCounts: [(name: String, rows: Int)]
    /// Rows equal to an earlier row, features and label alike (a random split can put copies of
    /// one sample on both sides).
    public var duplicateRows: Int
    /// Rows whose features equal an earlier row's while their label differs.
    public var conflictingRows: Int
    /// One entry per feature, in column order.
    public var features: [FeatureRange]

    /// Summarises `dataset`.
    public init(_ dataset: Dataset) {
        classCounts = zip(dataset.classNames, dataset.classCounts).map { ($0, $1) }
        let width = dataset.featureCount
        var labelsByFeatures: [[UInt64]: Set<Int>] = [:]
        var duplicates = 0
        var conflicts = 0
        for row in 0..<dataset.rowCount {
            // Bit patterns, with -0.0 read as 0.0 so that equal numbers are equal keys.
            let key = dataset.features[(row * width)..<((row + 1) * width)].map { ($0 == 0 ? 0.0 : $0).bitPattern }
            let label = dataset.labels[row]
            if let seen = labelsByFeatures[key] {
                if seen.contains(label) { duplicates += 1 } else { conflicts += 1 }
                labelsByFeatures[key]!.insert(label)
            } else {
                labelsByFeatures[key] = [label]
            }
        }
        duplicateRows = duplicates
        conflictingRows = conflicts
        features = dataset.featureNames.enumerated().map { j, name in
            let column = (0..<dataset.rowCount).map { dataset.features[$0 * width + j] }
            let moments = ColumnMoments(column)
            return FeatureRange(name: name, minimum: column.min() ?? .nan, maximum: column.max() ?? .nan, mean: moments.mean,
                                standardDeviation: moments.standardDeviation)
        }
    }
}
