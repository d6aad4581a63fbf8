import Foundation

/// Accuracy, per-class precision and recall, balanced accuracy, macro F1 and log loss.
///
/// Sources: the definitions of scikit-learn 1.9, which the tests check against on the same
/// predictions: `precision_recall_fscore_support` (precision of class c = correct c / rows
/// predicted c; recall = correct c / rows of class c), `balanced_accuracy_score`,
/// `f1_score(average="macro", zero_division=0)` and `log_loss`.
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

    /// The smallest probability ``logLoss(probabilities:labels:)`` takes the log of: predicted
    /// probabilities are clipped to `[ε, 1 − ε]` with ε = 2.220446049250313e-16, the machine
    /// epsilon of `Double` (scikit-learn's `log_loss`: `eps = np.finfo(float64).eps`), so a
    /// probability of 0 for the true class costs −ln ε ≈ 36.04 instead of infinity.
    public static let logLossEpsilon = Double.ulpOfOne

    /// Rows predicted correctly (the diagonal's sum).
    public var correct: Int
    /// All rows (the matrix's sum).
    public var total: Int
    /// One entry per class, in the matrix's order.
    public var classes: [PerClass]
    /// Mean recall over the classes that have rows, in [0, 1]; `nil` for an empty matrix.
    ///
    /// A class without rows has no recall and is left out of the mean (scikit-learn's
    /// `balanced_accuracy_score` warns and does the same), so on rows of one class it is that
    /// class's recall.
    public var balancedAccuracy: Double?
    /// Unweighted mean of the per-class F1 scores `2 TP / (2 TP + FP + FN)`, in [0, 1], over the
    /// classes that have rows or predictions; `nil` for an empty matrix.
    ///
    /// A class present only in the predictions (or only in the rows) scores 0: its precision or
    /// recall is 0 / 0, counted as 0 (`zero_division=0`). A class neither among the rows nor
    /// predicted is left out, as scikit-learn leaves out labels absent from both `y_true` and
    /// `y_pred` when `labels` is not given.
    public var macroF1: Double?
    /// Mean cross-entropy of the predicted probabilities, natural log; `nil` unless computed from
    /// probabilities (``Model/metrics(_:)``, ``logLoss(probabilities:labels:)``).
    public var logLoss: Double?

    /// `correct / total`, in [0, 1]; `nil` for an empty matrix.
    public var accuracy: Double? { total > 0 ? Double(correct) / Double(total) : nil }

    /// - Parameters:
    ///   - confusion: a `classes x classes` matrix of counts, rows the true class and columns the
    ///     predicted class, as ``Model/confusionMatrix(_:)`` returns.
    ///   - logLoss: the rows' log loss, when known (see ``logLoss(probabilities:labels:)``).
    /// - Precondition: the matrix is square.
    public init(confusion: [[Int]], logLoss: Double? = nil) {
        let k = confusion.count
        precondition(confusion.allSatisfy { $0.count == k }, "a confusion matrix is square")
        correct = (0..<k).map { confusion[$0][$0] }.reduce(0, +)
        total = confusion.joined().reduce(0, +)
        let predicted = (0..<k).map { c in confusion.map { $0[c] }.reduce(0, +) }
        classes = (0..<k).map { c in
            let rows = confusion[c].reduce(0, +)
            return PerClass(precision: predicted[c] > 0 ? Double(confusion[c][c]) / Double(predicted[c]) : nil,
                            recall: rows > 0 ? Double(confusion[c][c]) / Double(rows) : nil,
                            rows: rows)
        }
        let recalls = classes.compactMap(\.recall)
        balancedAccuracy = recalls.isEmpty ? nil : recalls.reduce(0, +) / Double(recalls.count)
        let f1 = (0..<k).compactMap { c -> Double? in
            let truePositives = confusion[c][c]
            let errors = (predicted[c] - truePositives) + (classes[c].rows - truePositives)
            guard truePositives + errors > 0 else { return nil }
            return Double(2 * truePositives) / Double(2 * truePositives + errors)
        }
        macroF1 = f1.isEmpty ? nil : f1.reduce(0, +) / Double(f1.count)
        self.logLoss = logLoss
    }

    /// Mean over rows of `−ln p(true class)`, each probability clipped to
    /// `[ε, 1 − ε]` (``logLossEpsilon``), as scikit-learn's `log_loss(y_true, y_proba,
    /// labels=range(k))` computes it (rows are not renormalised after clipping).
    /// - Parameters:
    ///   - probabilities: `rows x k`, each row a distribution over the k classes.
    ///   - labels: `rows` class indices in `0..<k`.
    /// - Returns: a loss ≥ 0 (at most −ln ε ≈ 36.04); `nil` for no rows.
    /// - Precondition: one label per row, each in `0..<k`.
    public static func logLoss(probabilities: Matrix, labels: [Int]) -> Double? {
        precondition(probabilities.rows == labels.count, "one label per row of probabilities")
        guard !labels.isEmpty else { return nil }
        let k = probabilities.columns
        var sum = 0.0
        for (row, label) in labels.enumerated() {
            precondition((0..<k).contains(label), "label \(label) outside 0..<\(k)")
            let p = probabilities.values[row * k + label]
            sum -= Foundation.log(min(max(p, logLossEpsilon), 1 - logLossEpsilon))
        }
        return sum / Double(labels.count)
    }
}

extension Model {
    /// Every figure of ``ClassificationMetrics`` for this model on `data`, log loss included.
    /// - Parameter data: raw features (`rows x n_0`) and labels in `0..<n_L`.
    public func metrics(_ data: LabeledData) -> ClassificationMetrics {
        ClassificationMetrics(confusion: confusionMatrix(data),
                              logLoss: ClassificationMetrics.logLoss(probabilities: probabilities(data.features), labels: data.labels))
    }
}
