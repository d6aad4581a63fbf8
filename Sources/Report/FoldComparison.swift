import Foundation
import Tracker

/// The best configuration against the baseline fold by fold of a k-fold sweep (with or without
/// repeats): the Nadeau–Bengio corrected resampled t-test
/// (``AccuracyInference/correctedResampledTTest(differences:testRows:trainingRows:)``) on the
/// per-fold differences of their accuracy on the fold's held-out rows (each configuration's
/// seeds averaged per fold).
///
/// Those held-out rows also chose the best configuration, so the difference is optimistic for it.
public struct FoldComparison: Sendable, Equatable {
    /// Folds (repeat × fold) both configurations have finished runs on: the resamples `J`.
    public var folds: Int
    /// Mean over folds of best − baseline accuracy, a fraction.
    public var meanDifference: Double
    /// The corrected statistic, `J − 1` degrees of freedom.
    public var t: Double
    /// Its two-sided p-value.
    public var p: Double

    /// Pairs `best` and `baseline` by repeat and fold; nil with fewer than two shared folds.
    /// The row counts of the correction are the shared folds' mean held-out and training rows.
    init?(best: [FoldAccuracy], baseline: [FoldAccuracy]) {
        var theirs: [[Int]: FoldAccuracy] = [:]
        for fold in baseline { theirs[[fold.repeat, fold.fold]] = fold }
        let pairs = best.compactMap { fold in theirs[[fold.repeat, fold.fold]].map { (fold, $0) } }
        guard pairs.count > 1 else { return nil }
        let heldOut = pairs.map { $0.0.validationRows }.reduce(0, +), training = pairs.map { $0.0.trainingRows }.reduce(0, +)
        guard let test = AccuracyInference.correctedResampledTTest(
            differences: pairs.map { $0.0.validationAccuracyMean - $0.1.validationAccuracyMean },
            testRows: Int((Double(heldOut) / Double(pairs.count)).rounded()),
            trainingRows: Int((Double(training) / Double(pairs.count)).rounded())) else { return nil }
        folds = pairs.count
        meanDifference = test.meanDifference
        t = test.t
        p = test.p
    }
}
