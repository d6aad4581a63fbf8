import Datasets
import Determinism
import Foundation
import Tracker

/// A sweep stored and queued: what workers need to claim and train its runs.
public struct PreparedSweep {
    public var sweepID: Int64
    public var name: String
    public var dataset: Dataset
    /// Search cells (configuration x seed x repeat x outer fold x fold) in the sweep; refit
    /// cells are queued later, by ``RefitPhase``.
    public var cellCount: Int
    /// Cells this call added to the queue (0 on a resume).
    public var newCells: Int
    /// Runs put back in the queue (interrupted, stale, or failed with attempts to spare) and
    /// failed runs left failed at their attempt limit, on this call.
    public var requeue: RequeueOutcome
    /// Runs put back in the queue on this call.
    public var requeued: Int { requeue.requeued.count }
    /// What the selection and refit phase needs; nil for a protocol without `refit`.
    public var refit: RefitPlan?
}

/// One split of a protocol, as stored in `splits`: search splits (holdout, folds, inner folds)
/// and the refit splits of a protocol with `refit`.
public struct PlannedSplit: Sendable {
    /// 0...r-1.
    public var `repeat`: Int
    /// 1...k of nested cross-validation; 0 otherwise.
    public var outerFold: Int
    /// 0 for a holdout or refit split; 1...k for the (inner) folds.
    public var fold: Int
    /// Search or refit.
    public var phase: RunPhase
    /// The seed the rows were drawn with (``EvaluationProtocol/splitSeed(repeat:)``).
    public var splitSeed: Int
    public var rows: SplitRows
}

/// How ``SweepPlanner/prepare(grid:dataset:store:toolVersion:retry:)`` treats failed runs.
public struct RetryPolicy: Sendable, Equatable {
    /// The most claims of a run that keeps failing; see
    /// ``Tracker/RunStore/requeueUnfinished(sweepID:observer:maxAttempts:retryFailed:isAlive:)``.
    public var maxAttempts: Int
    /// Requeue every failed run, whatever its attempts (`--retry-failed`).
    public var retryFailed: Bool

    public init(maxAttempts: Int = RunStore.defaultMaxAttempts, retryFailed: Bool = false) {
        self.maxAttempts = maxAttempts
        self.retryFailed = retryFailed
    }
}

/// Turns a validated grid into stored, queued cells.
public enum SweepPlanner {
    /// Every split of the protocol, search splits first (by repeat, outer fold, fold), then the
    /// refit splits.
    ///
    /// - Holdout: one stratified split, fold 0.
    /// - k-fold: the test rows are held out with the sweep's split seed; each repeat `r`
    ///   partitions the other rows into k stratified folds with the repeat's seed (repeat 0's
    ///   is the sweep's, so a sweep without `repeats` keeps its folds). With `refit`, one refit
    ///   split trains on every non-test row and tests on the test rows.
    /// - Nested: each repeat partitions all rows into `outer_folds` stratified folds; outer fold
    ///   `o` tests on its rows, and its `inner_folds` folds partition the other rows (its outer
    ///   training rows) only, with the same seed. Inner splits have no test rows. Each outer
    ///   fold has a refit split: its outer training rows, then its outer test rows.
    /// - Early stopping (`early_stopping_fraction: f`): every search split's training rows lose a
    ///   stratified share f (``Datasets/Splitter/holdOut(_:of:labels:classCount:seed:classNames:)``,
    ///   with the split's seed) to its early-stopping rows. Refit splits keep theirs: a refit
    ///   trains a fixed number of epochs.
    /// - Throws: `SplitError` when a class has too few rows for the protocol.
    public static func splits(for evaluation: EvaluationProtocol, dataset: Dataset) throws -> [PlannedSplit] {
        let splits = try searchAndRefitSplits(for: evaluation, dataset: dataset)
        guard let fraction = evaluation.earlyStoppingFraction else { return splits }
        return try splits.map { split in
            guard split.phase == .search else { return split }
            var split = split
            let (kept, heldOut) = try Splitter.holdOut(fraction, of: split.rows.train, labels: dataset.labels,
                                                       classCount: dataset.classNames.count, seed: UInt64(split.splitSeed),
                                                       classNames: dataset.classNames)
            split.rows.train = kept
            split.rows.earlyStopping = heldOut
            return split
        }
    }

    private static func searchAndRefitSplits(for evaluation: EvaluationProtocol, dataset: Dataset) throws -> [PlannedSplit] {
        let labels = dataset.labels, classes = dataset.classNames.count
        var search: [PlannedSplit] = [], refit: [PlannedSplit] = []
        if let outerFolds = evaluation.outerFolds, let innerFolds = evaluation.innerFolds {
            for r in evaluation.repeatNumbers {
                let seed = evaluation.splitSeed(repeat: r)
                let outer = try Splitter.stratifiedKFold(rows: Array(labels.indices), labels: labels, classCount: classes,
                                                         folds: outerFolds, seed: UInt64(seed), classNames: dataset.classNames)
                for (o, pair) in outer.enumerated() {
                    let inner = try Splitter.stratifiedKFold(rows: pair.train, labels: labels, classCount: classes,
                                                             folds: innerFolds, seed: UInt64(seed), classNames: dataset.classNames)
                    for (i, fold) in inner.enumerated() {
                        search.append(PlannedSplit(repeat: r, outerFold: o + 1, fold: i + 1, phase: .search, splitSeed: seed,
                                                   rows: SplitRows(train: fold.train, validation: fold.validation, test: [])))
                    }
                    refit.append(PlannedSplit(repeat: r, outerFold: o + 1, fold: 0, phase: .refit, splitSeed: seed,
                                              rows: SplitRows(train: pair.train, validation: [], test: pair.validation)))
                }
            }
            return search + refit
        }
        let seed = UInt64(evaluation.splitSeed)
        if let folds = evaluation.folds {
            let holdout = try Splitter.stratified(labels: labels, classCount: classes,
                                                  testFraction: evaluation.testFraction, validationFraction: 0, seed: seed,
                                                  classNames: dataset.classNames)
            for r in evaluation.repeatNumbers {
                let repeatSeed = evaluation.splitSeed(repeat: r)
                let pairs = try Splitter.stratifiedKFold(rows: holdout.train, labels: labels, classCount: classes,
                                                         folds: folds, seed: UInt64(repeatSeed), classNames: dataset.classNames)
                for (i, pair) in pairs.enumerated() {
                    search.append(PlannedSplit(repeat: r, outerFold: 0, fold: i + 1, phase: .search, splitSeed: repeatSeed,
                                               rows: SplitRows(train: pair.train, validation: pair.validation, test: holdout.test)))
                }
            }
            if evaluation.refits {
                refit.append(PlannedSplit(repeat: 0, outerFold: 0, fold: 0, phase: .refit, splitSeed: evaluation.splitSeed,
                                          rows: SplitRows(train: holdout.train, validation: [], test: holdout.test)))
            }
            return search + refit
        }
        let split = try Splitter.stratified(labels: labels, classCount: classes, testFraction: evaluation.testFraction,
                                            validationFraction: evaluation.validationFraction ?? 0.2, seed: seed,
                                            classNames: dataset.classNames)
        return [PlannedSplit(repeat: 0, outerFold: 0, fold: 0, phase: .search, splitSeed: evaluation.splitSeed,
                             rows: SplitRows(train: split.train, validation: split.validation, test: split.test))]
    }

    /// Stores the data set, the sweep, its splits and every search cell (as `queued`, in a
    /// stable order: configuration, then seed, then repeat, outer fold and fold), and requeues
    /// what an earlier, stopped process left unfinished. Calling it again for the same grid
    /// adds nothing new. Refit cells are queued by ``RefitPhase`` once a fold is chosen. A data
    /// set already stored keeps its stored class order
    /// (``DatasetImport/inStoredClassOrder(_:in:)``), and the prepared sweep trains on it so.
    /// Failed runs are requeued as `retry` says.
    /// - Throws: `TrackerError.gridChanged` when the sweep's name exists with another grid,
    ///   `TrackerError.dataChanged` when its data file's content changed since;
    ///   `SplitError`; `SQLiteError`.
    public static func prepare(grid: GridFile, dataset: Dataset, store: RunStore, toolVersion: String,
                               retry: RetryPolicy = RetryPolicy()) throws -> PreparedSweep {
        let dataset = try DatasetImport.inStoredClassOrder(dataset, in: store)
        let planned = try splits(for: grid.evaluation, dataset: dataset)
        // A resume must find the same grid and the same data; checked before anything is stored.
        if let existing = try store.sweep(named: grid.name) {
            guard existing.grid == grid.text else { throw TrackerError.gridChanged(sweep: grid.name) }
            if let stored = try store.dataset(id: existing.datasetID), stored.sha256 != dataset.contentHash {
                throw TrackerError.dataChanged(sweep: grid.name, file: grid.datasetURL.path, stored: stored.sha256, now: dataset.contentHash)
            }
        }
        let record = try DatasetImport.store(dataset, sourcePath: grid.datasetURL.path, in: store).record
        let protocolJSON = canonicalProtocolJSON(grid.evaluation)
        let sweep = try store.openSweep(SweepRecord(name: grid.name, datasetID: record.id!, grid: grid.text,
                                                    gridPath: grid.url.path, protocolJSON: protocolJSON, toolVersion: toolVersion))
        var stored: [(split: PlannedSplit, id: Int64)] = []
        for split in planned {
            stored.append((split, try store.storeSplit(datasetID: record.id!, splitSeed: split.splitSeed, protocolJSON: protocolJSON,
                                                        repeat: split.repeat, outerFold: split.outerFold, fold: split.fold,
                                                        rows: split.rows)))
        }
        let searchSplits = stored.filter { $0.split.phase == .search }
        var cells: [Cell] = []
        var bySHA: [String: [String: GridValue]] = [:]
        for configuration in grid.configurations {
            let config = try canonicalJSON(configuration)
            bySHA[sha256Hex(config)] = configuration
            let rows = params(configuration)
            for seed in grid.seeds {
                for (split, id) in searchSplits {
                    cells.append(Cell(index: cells.count, config: config, params: rows, seed: seed, fold: split.fold,
                                      splitSeed: split.splitSeed, splitID: id, repeat: split.repeat, outerFold: split.outerFold))
                }
            }
        }
        let added = try store.enqueue(sweepID: sweep.id!, datasetID: record.id!, cells: cells)
        let requeue = try store.requeueUnfinished(sweepID: sweep.id!, observer: .thisProcess(),
                                                  maxAttempts: retry.maxAttempts, retryFailed: retry.retryFailed,
                                                  isAlive: processIsAlive)
        let refitSplits = stored.filter { $0.split.phase == .refit }
        let refit = refitSplits.isEmpty ? nil : RefitPlan(
            datasetID: record.id!, nested: grid.evaluation.outerFolds != nil, seeds: grid.seeds, firstCellIndex: cells.count,
            folds: refitSplits.map { RefitPlan.Fold(repeat: $0.split.repeat, outerFold: $0.split.outerFold,
                                                    splitSeed: $0.split.splitSeed, splitID: $0.id) },
            configurations: bySHA)
        return PreparedSweep(sweepID: sweep.id!, name: grid.name, dataset: dataset, cellCount: cells.count,
                             newCells: added, requeue: requeue, refit: refit)
    }

    /// What ``prepare(grid:dataset:store:toolVersion:retry:)`` would do, without storing
    /// anything: it runs in one transaction that is rolled back (`exp sweep --dry-run`).
    /// - Throws: as ``prepare(grid:dataset:store:toolVersion:retry:)``.
    public static func preview(grid: GridFile, dataset: Dataset, store: RunStore, toolVersion: String,
                               retry: RetryPolicy = RetryPolicy()) throws -> PreparedSweep {
        struct RolledBack: Error {}
        var prepared: PreparedSweep?
        do {
            try store.write {
                prepared = try prepare(grid: grid, dataset: dataset, store: store, toolVersion: toolVersion, retry: retry)
                throw RolledBack()
            }
        } catch is RolledBack {}
        return prepared!
    }

    static func canonicalProtocolJSON(_ evaluation: EvaluationProtocol) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return String(decoding: try! encoder.encode(evaluation), as: UTF8.self)
    }
}
