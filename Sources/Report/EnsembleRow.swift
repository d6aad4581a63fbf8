import Foundation
import Tracker

extension LeaderboardRow {
    /// The leaderboard row of a configuration's ensemble: its finished models (its seeds, and
    /// its folds and repeats) combined per row by their mean class probability — Scoring's
    /// `RowEnsemble`, the same combination `exp predict --ensemble` predicts with.
    ///
    /// Its accuracies are one classifier's: the ensemble's rows right over the distinct rows
    /// scored (``RowEvidence``), not a mean over runs, so it has no standard deviation, epochs or
    /// time, and no other metric (balanced accuracy, macro F1, log loss: shown as not known). It
    /// was chosen on the same validation rows as `best`, so its validation accuracy is as
    /// optimistic as the configuration's. Its comparison with the baseline is `best`'s: that
    /// already pairs the two ensembles row by row.
    ///
    /// Nil when `best` has fewer than two scored models (one model is its own ensemble).
    init?(ensembleOf best: LeaderboardRow) {
        let models = max(best.validationEvidence?.models ?? 0, best.testEvidence?.models ?? 0)
        guard models > 1 else { return nil }
        self = best
        ensembleOf = best.rank
        bestRunID = nil  // many runs: `exp predict --ensemble`
        runs = models
        finishedRuns = models
        divergedRuns = 0
        failedRuns = 0
        pendingRuns = 0
        validationAccuracyMean = best.validationEvidence?.accuracy
        validationAccuracyStd = nil
        validationLossMean = nil
        testAccuracyMean = best.testEvidence?.accuracy
        // Only its accuracy is known: the other metrics of `best` are its runs' means and
        // spreads, not the ensemble's.
        validationMetrics = [.accuracy: MetricSummary(mean: validationAccuracyMean, std: nil)]
        testMetricMeans = [.accuracy: testAccuracyMean].compactMapValues { $0 }
        bestEpochMean = nil
        durationSecondsMean = nil
        isBaseline = false
        tiesAbove = false
    }
}
