/// The rows of a data set scored by several stored models of one configuration (its seeds,
/// folds and repeats), combined per row: each distinct row counts once, whatever the number
/// of models that scored it.
///
/// A row's ensemble prediction is the class with the highest mean probability over the models
/// that scored it (ties to the lowest class index). Rows are independent evidence; runs that
/// share rows are not, so every interval and test built on an ensemble is at the level of
/// ``rowCount`` rows.
public struct RowEnsemble: Sendable, Equatable {
    /// One data set row: its true class and the summed class probabilities of the models that
    /// scored it.
    public struct Row: Sendable, Equatable {
        /// The true class, or ``RowEnsemble/unknownLabel`` for a row predicted, not scored.
        public var label: Int
        public var probabilitySums: [Double]
        public var models: Int

        /// The mean class probabilities over the models that scored the row.
        public var meanProbabilities: [Double] { probabilitySums.map { $0 / Double(models) } }
        /// The class with the highest mean probability, ties to the lowest index.
        public var prediction: Int {
            var best = 0
            for j in probabilitySums.indices where probabilitySums[j] > probabilitySums[best] { best = j }
            return best
        }

        public var isCorrect: Bool { prediction == label }
    }

    /// The label of rows whose true class is unknown (rows predicted, not scored): never correct.
    public static let unknownLabel = -1

    /// Scored rows by their 0-based index in the data set.
    public var rows: [Int: Row] = [:]
    /// Models (runs) combined.
    public var models = 0

    public init() {}

    /// Adds one model's class probabilities for data set rows `indices` (`indices.count x
    /// classes`, row-major), whose true classes are `labels`.
    public mutating func add(indices: [Int], labels: [Int], probabilities: [Double], classes: Int) {
        precondition(probabilities.count == indices.count * classes, "probabilities must be rows x classes")
        models += 1
        for (r, index) in indices.enumerated() {
            var row = rows[index] ?? Row(label: labels[r], probabilitySums: Array(repeating: 0, count: classes), models: 0)
            for j in 0..<classes { row.probabilitySums[j] += probabilities[r * classes + j] }
            row.models += 1
            rows[index] = row
        }
    }

    /// Distinct rows scored.
    public var rowCount: Int { rows.count }
    /// Distinct rows the ensemble classifies correctly.
    public var correctCount: Int { rows.values.filter(\.isCorrect).count }
    /// ``correctCount`` / ``rowCount``, nil without rows.
    public var accuracy: Double? { rowCount == 0 ? nil : Double(correctCount) / Double(rowCount) }

    /// The discordant rows of a paired comparison on the rows both ensembles scored: rows only
    /// this ensemble gets right, rows only `other` gets right, and the number of shared rows.
    public func discordance(with other: RowEnsemble) -> (onlySelf: Int, onlyOther: Int, sharedRows: Int) {
        var onlySelf = 0, onlyOther = 0, shared = 0
        for (index, row) in rows {
            guard let theirs = other.rows[index] else { continue }
            shared += 1
            switch (row.isCorrect, theirs.isCorrect) {
            case (true, false): onlySelf += 1
            case (false, true): onlyOther += 1
            default: break
            }
        }
        return (onlySelf, onlyOther, shared)
    }
}
