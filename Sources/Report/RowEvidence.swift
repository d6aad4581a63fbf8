import Foundation
import Scoring

/// What a configuration's runs show on distinct data set rows: the rows its seed (and fold)
/// models, combined per row by averaging their class probabilities, classify correctly.
///
/// The runs of one configuration share their rows, so they are not independent evidence; the
/// rows are. Intervals here are at the level of ``rows``.
public struct RowEvidence: Sendable, Equatable {
    /// Distinct rows the ensemble classifies correctly.
    public var correct: Int
    /// Distinct rows scored (each counted once, over every fold and seed).
    public var rows: Int
    /// Models (runs) combined.
    public var models: Int
    /// The exact 95% Clopper–Pearson interval for the accuracy on rows like these.
    public var interval: ConfidenceInterval?

    public var accuracy: Double { rows == 0 ? 0 : Double(correct) / Double(rows) }

    init(_ ensemble: RowEnsemble) {
        self.init(correct: ensemble.correctCount, rows: ensemble.rowCount, models: ensemble.models)
    }

    /// Counts pooled by the caller (e.g. over the repeats of a nested sweep).
    init(correct: Int, rows: Int, models: Int) {
        self.correct = correct
        self.rows = rows
        self.models = models
        interval = AccuracyInference.clopperPearson(correct: correct, total: rows)
    }
}

/// A configuration against the baseline on the same test rows (paired), each configuration's
/// rows combined over its models as in ``RowEvidence``.
public struct PairedComparison: Sendable, Equatable {
    /// Rows this configuration gets right and the baseline wrong.
    public var better: Int
    /// Rows the baseline gets right and this configuration wrong.
    public var worse: Int
    /// Rows both scored.
    public var sharedRows: Int
    /// McNemar's exact two-sided p-value of `better` against `worse`.
    public var p: Double

    init(_ ensemble: RowEnsemble, baseline: RowEnsemble) {
        let d = ensemble.discordance(with: baseline)
        self.init(better: d.onlySelf, worse: d.onlyOther, sharedRows: d.sharedRows)
    }

    /// Discordant counts pooled by the caller.
    init(better: Int, worse: Int, sharedRows: Int) {
        self.better = better
        self.worse = worse
        self.sharedRows = sharedRows
        p = AccuracyInference.mcNemarExact(onlyFirst: better, onlySecond: worse)
    }
}

/// The reference classifier (linear discriminant analysis, no hyperparameters) fitted on each
/// split's training rows and scored on the same rows as the sweep's runs.
public struct ReferenceEvidence: Sendable, Equatable {
    /// Its validation rows right.
    public var validation: RowEvidence?
    /// Its test rows right.
    public var test: RowEvidence?
    /// The best configuration by validation against it on the same test rows (`better`: rows only
    /// the configuration gets right).
    public var bestVersusReference: PairedComparison?
}
