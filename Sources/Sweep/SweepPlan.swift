import Datasets
import Foundation
import Tracker

/// A sweep stored and queued: what workers need to claim and train its runs.
public struct PreparedSweep {
    public var sweepID: Int64
    public var name: String
    public var dataset: Dataset
    /// Cells (configuration x seed x fold) in the sweep.
    public var cellCount: Int
    /// Cells this call added to the queue (0 on a resume).
    public var newCells: Int
    /// Runs put back in the queue (interrupted, failed or stale) on this call.
    public var requeued: Int
}

/// Turns a validated grid into stored, queued cells.
public enum SweepPlanner {
    /// The row indices of every fold of the protocol: fold 0 for a holdout, folds 1...k otherwise.
    /// - Throws: `SplitError` when a class has too few rows for the protocol.
    public static func splits(for evaluation: EvaluationProtocol, dataset: Dataset) throws -> [(fold: Int, rows: SplitRows)] {
        let seed = UInt64(evaluation.splitSeed)
        if let folds = evaluation.folds {
            let holdout = try Splitter.stratified(labels: dataset.labels, classCount: dataset.classNames.count,
                                                  testFraction: evaluation.testFraction, validationFraction: 0, seed: seed,
                                                  classNames: dataset.classNames)
            let pairs = try Splitter.stratifiedKFold(rows: holdout.train, labels: dataset.labels,
                                                     classCount: dataset.classNames.count, folds: folds, seed: seed,
                                                     classNames: dataset.classNames)
            return pairs.enumerated().map { i, pair in
                (i + 1, SplitRows(train: pair.train, validation: pair.validation, test: holdout.test))
            }
        }
        let split = try Splitter.stratified(labels: dataset.labels, classCount: dataset.classNames.count,
                                            testFraction: evaluation.testFraction,
                                            validationFraction: evaluation.validationFraction ?? 0.2, seed: seed,
                                            classNames: dataset.classNames)
        return [(0, SplitRows(train: split.train, validation: split.validation, test: split.test))]
    }

    /// Stores the data set, the sweep, its splits and every cell (as `queued`, in a stable
    /// order: configuration, then seed, then fold), and requeues what an earlier, stopped
    /// process left unfinished. Calling it again for the same grid adds nothing new.
    /// - Throws: `TrackerError.gridChanged` when the sweep's name exists with another grid,
    ///   `TrackerError.dataChanged` when its data file's content changed since;
    ///   `SplitError`; `SQLiteError`.
    public static func prepare(grid: GridFile, dataset: Dataset, store: RunStore, toolVersion: String) throws -> PreparedSweep {
        let folds = try splits(for: grid.evaluation, dataset: dataset)
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
        var splitIDs: [Int: Int64] = [:]
        for (fold, rows) in folds {
            splitIDs[fold] = try store.storeSplit(datasetID: record.id!, splitSeed: grid.evaluation.splitSeed,
                                                  protocolJSON: protocolJSON, fold: fold, rows: rows)
        }
        var cells: [Cell] = []
        for configuration in grid.configurations {
            let config = try canonicalJSON(configuration)
            let rows = params(configuration)
            for seed in grid.seeds {
                for (fold, _) in folds {
                    cells.append(Cell(index: cells.count, config: config, params: rows, seed: seed, fold: fold,
                                      splitSeed: grid.evaluation.splitSeed, splitID: splitIDs[fold]!))
                }
            }
        }
        let added = try store.enqueue(sweepID: sweep.id!, datasetID: record.id!, cells: cells)
        let requeued = try store.requeueUnfinished(sweepID: sweep.id!, host: ProcessInfo.processInfo.hostName,
                                                   isAlive: processIsAlive)
        return PreparedSweep(sweepID: sweep.id!, name: grid.name, dataset: dataset, cellCount: cells.count,
                             newCells: added, requeued: requeued)
    }

    static func canonicalProtocolJSON(_ evaluation: EvaluationProtocol) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return String(decoding: try! encoder.encode(evaluation), as: UTF8.self)
    }
}

/// True when a process with this id exists on this machine.
func processIsAlive(_ pid: Int) -> Bool {
    kill(pid_t(pid), 0) == 0 || errno == EPERM
}
