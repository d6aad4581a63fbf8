/// Accuracy and per-class precision and recall of a confusion matrix.
///
/// Source: the usual definitions (e.g. scikit-learn's `precision_recall_fscore_support`):
/// precision of class c = correct c / rows predicted c; recall = correct c / rows of class c.
public struct ClassificationMetrics: Sendable, Equatable {
    /// One class's figures.
    public struct PerClass: Sendable, Equatable {
        /// Fraction in [0, 1] of the rows predicted as this class that are of it; `nil` when no
        /// row was predicted as it.
        public var precision: Double?
        /// Fraction in [0, 1] of this class's rows predicted as it; `nil` when it has no rows.
        public var recall: Double?
        /// Rows of this class (the confusion matrix row's sum).
        public var rows: Int
    }

    /// Rows predicted correctly (the diagonal's sum).
    public var correct: Int
    /// All rows (the matrix's sum).
    public var total: Int
    /// One entry per class, in the matrix's order.
    public var classes: [PerClass]

    /// `correct / total`, in [0, 1]; `nil` for an empty matrix.
    public var accuracy: Double? { total > 0 ? Double(correct) / Double(total) : nil }

    /// - Parameter confusion: a `classes x classes` matrix of counts, rows the true class and
    ///   columns the predicted class, as ``Model/confusionMatrix(_:)`` returns.
    /// - Precondition: the matrix is square.
    public init(confusion: [[Int]]) {
        let k = confusion.count
        precondition(confusion.allSatisfy { $0.count == k }, "a confusion matrix is square")
        correct = (0..<k).map { confusion[$0][$0] }.reduce(0, +)
        total = confusion.joined().reduce(0, +)
        classes = (0..<k).map { c in
            let predicted = confusion.map { $0[c] }.reduce(0, +)
            let rows = confusion[c].reduce(0, +)
            return PerClass(precision: predicted > 0 ? Double(confusion[c][c]) / Double(predicted) : nil,
                            recall: rows > 0 ? Double(confusion[c][c]) / Double(rows) : nil,
                            rows: rows)
        }
    }
}
