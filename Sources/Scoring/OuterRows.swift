import Foundation
import NeuralNet
import Tracker

/// One repeat of a nested sweep scored three ways on the same outer test rows (each row of the
/// data set is in exactly one outer fold's test rows per repeat), so every comparison is paired.
public struct OuterRows: Sendable, Equatable {
    /// Each outer fold's choice, refitted on its outer training rows (its seeds combined per row).
    public var chosen = RowEnsemble()
    /// Linear discriminant analysis fitted on each outer fold's training rows.
    public var reference = RowEnsemble()
    /// The baseline configuration's search models of each outer fold (every seed and inner fold,
    /// each trained on part of that fold's outer training rows only), combined per row.
    public var baseline = RowEnsemble()

    public init() {}
}

extension StoredModelScorer {
    /// The outer test rows of a nested sweep, by repeat: the refit runs' stored models, the
    /// reference and the baseline (when `baselineSHA256` is given) on the outer folds that have
    /// a finished refit run. Empty for a sweep without refit runs.
    ///
    /// - Throws: ``SQLiteError``, ``TrackerError``, `SafetensorsError`, ``DataImportError``, or
    ///   `TrainingError.invalidData` when an outer training set cannot be fitted.
    public mutating func outerRows(sweepID: Int64, baselineSHA256: String?) throws -> [Int: OuterRows] {
        var result: [Int: OuterRows] = [:]
        var outerSplits: [[Int]: Int64] = [:]
        for run in try store.scorableRuns(sweepID: sweepID, configSHA256s: [], phase: .refit) {
            let split = try self.split(run.splitID)
            guard !split.test.isEmpty else { continue }
            if outerSplits[[run.repeat, run.outerFold]] == nil {
                outerSplits[[run.repeat, run.outerFold]] = run.splitID
                try Self.scoreReference(try dataset(run.datasetID), trainedOn: split.train, on: split.test,
                                        into: &result[run.repeat, default: OuterRows()].reference)
            }
            try score(run, on: split.test, into: &result[run.repeat, default: OuterRows()].chosen)
        }
        guard let baselineSHA256 else { return result }
        for run in try store.scorableRuns(sweepID: sweepID, configSHA256s: [baselineSHA256]) {
            guard let splitID = outerSplits[[run.repeat, run.outerFold]] else { continue }
            try score(run, on: try self.split(splitID).test, into: &result[run.repeat, default: OuterRows()].baseline)
        }
        return result
    }

    /// Adds `run`'s stored `final` model's probabilities on data set rows `indices`.
    /// - Returns: false for a run stored without weights, which adds nothing.
    @discardableResult
    mutating func score(_ run: ScorableRun, on indices: [Int], into ensemble: inout RowEnsemble) throws -> Bool {
        guard let weightsSHA256 = run.finalWeightsSHA256 else { return false }  // nothing to score
        let scored = try dataset(run.datasetID).labeled(indices)
        func compute() throws -> Matrix {
            try Model(safetensors: try store.weights(runID: run.runID, kind: "final")).probabilities(scored.features)
        }
        let key = ScoreCache.Key(weightsSHA256: weightsSHA256, datasetID: run.datasetID, indices: indices)
        let probabilities = try cache.map { try $0.probabilities(key, compute) } ?? compute()
        ensemble.add(indices: indices, labels: scored.labels, probabilities: probabilities.values, classes: probabilities.columns)
        return true
    }
}
