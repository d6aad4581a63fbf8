/// What `exp data show` prints about a data set: class counts, repeated rows and the range of
/// every feature.
public struct DatasetSummary: Sendable {
    /// The range and moments of one feature column.
    public struct FeatureRange: Sendable, Equatable {
        public var name: String
        public var minimum: Double
        public var maximum: Double
        public var mean: Double
        /// Population standard deviation.
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
            var minimum = Double.infinity, maximum = -Double.infinity, sum = 0.0
            for row in 0..<dataset.rowCount {
                let v = dataset.features[row * width + j]
                minimum = min(minimum, v)
                maximum = max(maximum, v)
                sum += v
            }
            let n = Double(max(dataset.rowCount, 1))
            let mean = sum / n
            var squares = 0.0
            for row in 0..<dataset.rowCount {
                let d = dataset.features[row * width + j] - mean
                squares += d * d
            }
            return FeatureRange(name: name, minimum: minimum, maximum: maximum, mean: mean,
                                standardDeviation: (squares / n).squareRoot())
        }
    }
}
