import Datasets
import Foundation
import Sweep
import Tracker

/// What `exp sweep` would store and queue, without storing anything: the preparation runs in a
/// transaction that is rolled back; a database that does not exist yet is not created (a
/// scratch copy stands in for it and is removed).
/// - Throws: as ``prepareSweep(_:dataset:database:retry:)``.
func previewSweep(_ grid: GridFile, database: String, retry: RetryPolicy,
                  queueBatch: Int = SweepPlanner.defaultQueueBatch) throws -> (Dataset, PreparedSweep) {
    let dataset = try readSweepDataset(grid)
    do { _ = try SweepPlanner.splits(for: grid.evaluation, dataset: dataset) } catch {
        throw ExpError.rejected("\(grid.url.path): protocol: \(error)")
    }
    let exists = FileManager.default.fileExists(atPath: database)
    let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("exp-dry-run-\(UUID().uuidString).db").path
    defer {
        if !exists { for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: scratch + suffix) } }
    }
    let store: RunStore
    if exists {
        store = try openStore(database)
    } else {
        do { store = try RunStore(path: scratch) } catch { throw ExpError.database(error, path: scratch) }
    }
    do {
        if exists { try store.requireUndamaged() }
        return (dataset, try SweepPlanner.preview(grid: grid, dataset: dataset, store: store, toolVersion: toolVersion, retry: retry,
                                                  queueBatch: queueBatch))
    } catch {
        throw planningError(error, grid: grid, database: database)
    }
}

/// Prints, on standard output, the cells a sweep would add, the runs it would requeue and the
/// failed runs it would leave failed; for a random search, first what it draws.
func printDryRun(_ prepared: PreparedSweep, grid: GridFile, dataset: Dataset, retry: RetryPolicy) {
    print("dry run of sweep '\(prepared.name)' on \(dataset.name): nothing is stored")
    if let search = grid.search, let trials = search.trials, let seed = search.seed {
        let drawn = grid.space?.sampledHyperparameters.map { $0.name + ($0.log ? " (log)" : "") } ?? []
        print("\(search.method.rawValue) search: \(counted(trials, "trial")) drawn with search seed \(seed), "
              + "\(counted(grid.configurations.count, "distinct configuration"))"
              + (drawn.isEmpty ? " (every hyperparameter from lists)" : "; drawn from distributions: " + drawn.joined(separator: ", ")))
    }
    let first = prepared.cellCount - prepared.newCells
    let range = prepared.newCells == 0 ? "" : prepared.newCells == 1 ? " (cell \(first))" : " (cells \(first)-\(prepared.cellCount - 1))"
    print("would add \(prepared.newCells) cells\(range), \(prepared.cellCount) in all" + (prepared.newCells == 0 ? "" : ":"))
    let shown = 20
    if let added = try? prepared.cells.cells(from: first, limit: min(prepared.newCells, shown)).prefix(shown) {
        added.forEach { print("  cell \($0.index): \($0.config) seed \($0.seed) repeat \($0.repeat) outer fold \($0.outerFold) fold \($0.fold)") }
    }
    if prepared.newCells > shown { print("  ... and \(prepared.newCells - shown) more") }
    print("would requeue \(prepared.requeue.requeued.count) runs" + (prepared.requeue.requeued.isEmpty ? "" : ":"))
    prepared.requeue.requeued.forEach { print("  " + describe($0)) }
    let skipped = prepared.requeue.skipped
    print("would leave \(skipped.count) failed runs failed (at the limit of \(retry.maxAttempts) attempts; --retry-failed requeues them)"
          + (skipped.isEmpty ? "" : ":"))
    skipped.forEach { print("  " + describe($0)) }
}

/// The note for failed runs left failed at their attempt limit; nil when there are none.
func leftFailedMessage(_ skipped: [RequeuedRun], retry: RetryPolicy) -> String? {
    guard !skipped.isEmpty else { return nil }
    return "note: \(skipped.count) failed runs are left failed at the limit of \(retry.maxAttempts) attempts "
        + "(--max-attempts); `exp sweep --retry-failed` tries them again"
}

/// `cell 3: {"learning_rate":0.1,...} seed 1 fold 0, attempt 1, failed: out of memory`.
private func describe(_ run: RequeuedRun) -> String {
    "cell \(run.cellIndex): \(run.config) seed \(run.seed) fold \(run.fold), attempt \(run.attempt), \(run.status.rawValue)"
        + (run.error.map { ": \($0)" } ?? "")
}
