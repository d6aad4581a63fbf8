import Determinism
import Foundation
import NeuralNet
import Tracker

/// What the selection and refit phase of a sweep needs (``PreparedSweep/refit``).
public struct RefitPlan: Sendable {
    /// A fold that chooses a configuration: an outer fold of a nested sweep, or the one choice
    /// (repeat 0, outer fold 0) of a k-fold sweep with `refit`.
    public struct Fold: Sendable {
        public var `repeat`: Int
        public var outerFold: Int
        /// The seed of the refit split's rows.
        public var splitSeed: Int
        /// The stored refit split: all of the fold's non-test rows to train on, its test rows.
        public var splitID: Int64
    }

    public var datasetID: Int64
    /// True for nested cross-validation: each fold chooses on its own search runs; false: on
    /// every search run of the sweep.
    public var nested: Bool
    /// The grid's seeds: one refit run per seed.
    public var seeds: [Int]
    /// The cell index of the first refit cell (the number of search cells).
    public var firstCellIndex: Int
    public var folds: [Fold]
}

/// The second phase of a protocol with `refit`: once every search run of a fold is done, the
/// fold's configuration is chosen by the ranking rule (``Tracker/Ranking``) over those runs
/// only, and retrained, once per seed, on all of the fold's training rows for the median of its
/// best epochs on the validation rows, then scored on the fold's test rows.
///
/// The choice and its refit runs are stored in one transaction that writes nothing when the
/// fold already has a choice, so a fold is decided exactly once whatever the number of
/// processes, resumes or kills. Sharded processes (`--shard`) never choose: their databases are
/// merged first (`exp merge`), and `exp sweep` on the merged database runs this phase.
public enum RefitPhase {
    /// Chooses every fold whose search runs are all done and that has no choice yet, and
    /// queues its refit runs.
    /// - Returns: how many folds this call chose.
    /// - Throws: `SQLiteError`; `EncodingError` for a configuration that has no canonical JSON;
    ///   ``GridError`` for a stored configuration this version cannot read.
    @discardableResult
    public static func selectReady(_ plan: RefitPlan, sweepID: Int64, store: RunStore) throws -> Int {
        // Cells still to be queued are search runs not done.
        guard try store.cellCounts(sweepID: sweepID).unqueued == 0 else { return 0 }
        let decided = Set(try store.selections(sweepID: sweepID).map { "\($0.repeat)/\($0.outerFold)" })
        var chosen = 0
        for (index, fold) in plan.folds.enumerated() where !decided.contains("\(fold.repeat)/\(fold.outerFold)") {
            let scope = plan.nested ? (repeat: fold.repeat, outerFold: fold.outerFold) : nil
            guard try store.unfinishedSearchRuns(sweepID: sweepID, scope: scope) == 0 else { continue }
            let board = try scope.map { try store.leaderboard(sweepID: sweepID, repeat: $0.repeat, outerFold: $0.outerFold) }
                ?? store.leaderboard(sweepID: sweepID)
            guard let best = board.first(where: { $0.validationAccuracyMean != nil }) else { continue }
            let configuration = try GridFile.configuration(fromJSON: best.config, file: "the stored configuration \(best.configSHA256)")
            let epochs = medianEpoch(try store.bestEpochs(sweepID: sweepID, configSHA256: best.configSHA256, scope: scope))
                ?? (configuration["epochs"]?.number).map { Int($0) } ?? Hyperparameters().epochs
            let refit = refitConfiguration(configuration, epochs: epochs)
            let json = try canonicalJSON(refit)
            let cells = plan.seeds.enumerated().map { i, seed in
                Cell(index: plan.firstCellIndex + index * plan.seeds.count + i, config: json, params: params(refit), seed: seed,
                     fold: 0, splitSeed: fold.splitSeed, splitID: fold.splitID, repeat: fold.repeat, outerFold: fold.outerFold,
                     phase: .refit)
            }
            let selection = Selection(repeat: fold.repeat, outerFold: fold.outerFold, configSHA256: best.configSHA256,
                                      config: best.config, refitEpochs: epochs, candidates: board.count)
            if try store.recordSelection(sweepID: sweepID, datasetID: plan.datasetID, selection, refitCells: cells) { chosen += 1 }
        }
        return chosen
    }

    /// The median of sorted epochs: the middle one, or the mean of the two middle ones rounded
    /// half up; nil for none.
    static func medianEpoch(_ sorted: [Int]) -> Int? {
        guard !sorted.isEmpty else { return nil }
        let mid = sorted.count / 2
        return sorted.count % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid] + 1) / 2
    }

    /// The chosen configuration as the refit trains it: `epochs` epochs, no early stopping
    /// (there are no validation rows to watch).
    static func refitConfiguration(_ configuration: [String: GridValue], epochs: Int) -> [String: GridValue] {
        var refit = configuration
        refit["epochs"] = .integer(epochs)
        refit["early_stopping_patience"] = .integer(0)
        return HyperparameterSchema.current.normalized(refit)
    }
}
