import Foundation
import Scoring
import Tracker

/// The headline of a nested sweep: what the whole procedure (search on inner folds, choice,
/// refit) scores on outer test rows it never saw, with the paired comparisons on the same rows.
///
/// Counts are pooled over repeats: each outer test row counts once per repeat (its refit seeds
/// combined per row), so `rows` is the distinct rows times the repeats. The interval is the exact
/// Clopper–Pearson interval on those pooled counts.
public struct OuterEstimate: Sendable, Equatable {
    /// The refitted choices on the outer test rows.
    public var chosen: RowEvidence
    /// Distinct data set rows behind ``chosen``.
    public var distinctRows: Int
    /// Repeats with scored outer rows.
    public var repeats: Int
    /// Which configuration each outer fold chose.
    public var choices: [Selection]
    /// Linear discriminant analysis fitted on each outer training set, on the same rows.
    public var reference: RowEvidence?
    /// The choices against the reference (`better`: rows only the choices get right).
    public var versusReference: PairedComparison?
    /// The baseline configuration's inner-fold models of each outer fold, on the same rows.
    public var baseline: RowEvidence?
    /// The choices against the baseline.
    public var versusBaseline: PairedComparison?

    /// Pools `byRepeat` (``StoredModelScorer/outerRows(sweepID:baselineSHA256:)``); nil without
    /// scored outer rows.
    init?(_ byRepeat: [Int: OuterRows], choices: [Selection]) {
        let repeats = byRepeat.values.filter { $0.chosen.rowCount > 0 }
        guard !repeats.isEmpty else { return nil }
        func pooled(_ part: (OuterRows) -> RowEnsemble) -> RowEvidence? {
            let ensembles = repeats.map(part).filter { $0.rowCount > 0 }
            guard !ensembles.isEmpty else { return nil }
            return RowEvidence(correct: ensembles.map(\.correctCount).reduce(0, +), rows: ensembles.map(\.rowCount).reduce(0, +),
                               models: ensembles.map(\.models).reduce(0, +))
        }
        func paired(_ other: (OuterRows) -> RowEnsemble) -> PairedComparison? {
            let counts = repeats.filter { other($0).rowCount > 0 }.map { $0.chosen.discordance(with: other($0)) }
            guard !counts.isEmpty else { return nil }
            return PairedComparison(better: counts.map(\.onlySelf).reduce(0, +), worse: counts.map(\.onlyOther).reduce(0, +),
                                    sharedRows: counts.map(\.sharedRows).reduce(0, +))
        }
        chosen = pooled(\.chosen)!
        distinctRows = Set(repeats.flatMap { $0.chosen.rows.keys }).count
        self.repeats = repeats.count
        self.choices = choices
        reference = pooled(\.reference)
        versusReference = paired(\.reference)
        baseline = pooled(\.baseline)
        versusBaseline = paired(\.baseline)
    }
}
