import Datasets
import Determinism
import Foundation
import Tracker

/// A sweep stored and queued: what workers need to claim and train its runs.
public struct PreparedSweep {
    public var sweepID: Int64
    public var name: String
    public var dataset: Dataset
    /// The stored data set's id.
    public var datasetID: Int64
    /// Search cells (configuration x seed x repeat x outer fold x fold) of every grid version
    /// of the sweep; refit cells are queued later, by ``RefitPhase``.
    public var cellCount: Int { cells.count }
    /// Cells this call added to the sweep's plan: all of a new sweep's, the new cells of an
    /// extended one, 0 on a resume.
    public var newCells: Int
    /// The sweep's search cells, queued from in batches.
    public var cells: CellPlan
    /// Cells queued at a time (``SweepPlanner/defaultQueueBatch`` unless given).
    public var queueBatch: Int
    /// Runs put back in the queue (interrupted, stale, or failed with attempts to spare) and
    /// failed runs left failed at their attempt limit, on this call.
    public var requeue: RequeueOutcome
    /// Runs put back in the queue on this call.
    public var requeued: Int { requeue.requeued.count }
    /// What the selection and refit phase needs; nil for a protocol without `refit`.
    public var refit: RefitPlan?
    /// The rungs of a successive-halving or Hyperband search; nil for other sweeps.
    public var halving: HalvingPlan?

    /// Writes the next batch of planned cells as queued runs (see
    /// ``Tracker/RunStore/queueNextCells(sweepID:datasetID:_:)``); processes sharing the
    /// database queue each cell once.
    /// - Returns: cells queued; 0 when every planned cell is.
    /// - Throws: `SQLiteError`; `EncodingError`; ``CellPlanError``.
    @discardableResult
    public func queueNextBatch(store: RunStore) throws -> Int {
        try store.queueNextCells(sweepID: sweepID, datasetID: datasetID) { start, planned in
            try cells.cells(from: start, limit: queueBatch).filter { $0.index < planned }
        }
    }
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

    /// Cells queued at a time: the first batch when a sweep is prepared, then one batch each
    /// time a worker finds the queue empty.
    public static let defaultQueueBatch = 10_000

    /// Stores the data set, the sweep, its grid version and its splits, plans every search cell
    /// (configuration, then seed, then repeat, outer fold and fold, each with a stable
    /// `cell_index`), queues the first `queueBatch` of them, and requeues what an earlier,
    /// stopped process left unfinished. Refit cells are queued by ``RefitPhase`` once a fold is
    /// chosen. A data set already stored keeps its stored class order
    /// (``DatasetImport/inStoredClassOrder(_:in:)``), and the prepared sweep trains on it so.
    /// Failed runs are requeued as `retry` says.
    ///
    /// A grid under the name of a stored sweep resumes it when its canonical form
    /// (``GridFile/canonicalJSON``) is the sweep's latest; otherwise it extends the sweep when
    /// its cells include every stored cell over the same data set and protocol: it is stored
    /// as the sweep's next grid version, and only its new cells are planned, after the stored
    /// ones (docs/sweeps.md, "Extending a sweep"). All of this is one transaction.
    /// - Parameter progress: called with the cells queued and planned once the first batch is queued.
    /// - Throws: ``GridChangeError`` when the grid drops stored cells, changes the protocol or
    ///   the import options, or adds cells after a fold has chosen its configuration;
    ///   `TrackerError.dataChanged` when its data file's content changed since;
    ///   `TrackerError.gridChanged` when the stored grid cannot be read and differs;
    ///   `SplitError`; `SQLiteError`.
    public static func prepare(grid: GridFile, dataset: Dataset, store: RunStore, toolVersion: String,
                               retry: RetryPolicy = RetryPolicy(), queueBatch: Int = defaultQueueBatch,
                               progress: (_ queued: Int, _ planned: Int) -> Void = { _, _ in }) throws -> PreparedSweep {
        let dataset = try DatasetImport.inStoredClassOrder(dataset, in: store)
        let planned = try splits(for: grid.evaluation, dataset: dataset)
        return try store.write {
            // A resume must find the same data; checked before anything is stored.
            if let existing = try store.sweep(named: grid.name), let stored = try store.dataset(id: existing.datasetID),
               stored.sha256 != dataset.contentHash {
                throw TrackerError.dataChanged(sweep: grid.name, file: grid.datasetURL.path, stored: stored.sha256, now: dataset.contentHash)
            }
            let record = try DatasetImport.store(dataset, sourcePath: grid.datasetURL.path, in: store).record
            let protocolJSON = canonicalProtocolJSON(grid.evaluation)
            var stored: [(split: PlannedSplit, id: Int64)] = []
            for split in planned {
                stored.append((split, try store.storeSplit(datasetID: record.id!, splitSeed: split.splitSeed, protocolJSON: protocolJSON,
                                                            repeat: split.repeat, outerFold: split.outerFold, fold: split.fold,
                                                            rows: split.rows)))
            }
            let searchSplits = stored.filter { $0.split.phase == .search }
            let (sweep, added) = try GridVersions.open(grid, datasetID: record.id!, protocolJSON: protocolJSON, toolVersion: toolVersion,
                                                       splitCount: searchSplits.count, store: store)
            // The stored grid text stays as first given; a changed benchmark is stored on the sweep.
            if sweep.benchmark != grid.benchmark { try store.setBenchmark(sweepID: sweep.id!, grid.benchmark) }
            let cells = try GridVersions.plan(sweepID: sweep.id!, current: grid, splits: searchSplits, store: store)
            var prepared = PreparedSweep(sweepID: sweep.id!, name: grid.name, dataset: dataset, datasetID: record.id!, newCells: added,
                                         cells: cells, queueBatch: max(1, queueBatch), requeue: RequeueOutcome(),
                                         refit: nil)
            if grid.search?.method.isHalving == true {
                prepared.halving = HalvingPlan(search: grid.search, groups: try GridVersions.configurationGroups(
                    sweepID: sweep.id!, current: grid, store: store), runsPerConfiguration: grid.seeds.count * searchSplits.count)
            }
            try prepared.queueNextBatch(store: store)
            let counts = try store.cellCounts(sweepID: sweep.id!)
            progress(counts.queued, counts.planned)
            prepared.requeue = try store.requeueUnfinished(sweepID: sweep.id!, observer: .thisProcess(),
                                                           maxAttempts: retry.maxAttempts, retryFailed: retry.retryFailed,
                                                           isAlive: processIsAlive)
            let refitSplits = stored.filter { $0.split.phase == .refit }
            prepared.refit = refitSplits.isEmpty ? nil : RefitPlan(
                datasetID: record.id!, nested: grid.evaluation.outerFolds != nil, seeds: grid.seeds, firstCellIndex: cells.count,
                folds: refitSplits.map { RefitPlan.Fold(repeat: $0.split.repeat, outerFold: $0.split.outerFold,
                                                        splitSeed: $0.split.splitSeed, splitID: $0.id) })
            return prepared
        }
    }

    /// What ``prepare(grid:dataset:store:toolVersion:retry:)`` would do, without storing
    /// anything: it runs in one transaction that is rolled back (`exp sweep --dry-run`).
    /// - Throws: as ``prepare(grid:dataset:store:toolVersion:retry:)``.
    public static func preview(grid: GridFile, dataset: Dataset, store: RunStore, toolVersion: String,
                               retry: RetryPolicy = RetryPolicy(), queueBatch: Int = defaultQueueBatch) throws -> PreparedSweep {
        struct RolledBack: Error {}
        var prepared: PreparedSweep?
        do {
            try store.write {
                prepared = try prepare(grid: grid, dataset: dataset, store: store, toolVersion: toolVersion, retry: retry,
                                       queueBatch: queueBatch)
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
