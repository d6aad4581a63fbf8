import Foundation
import Testing
import TestSupport
@testable import Sweep
@testable import Tracker

/// Cells are planned at once and queued in batches: a sweep is ready to train once its first
/// batch is written, counts its unqueued cells as queued, and trains every cell once.
@Suite struct LazyQueueTests {
    @Test func aMillionCellsArePlannedWithoutExpandingThem() throws {
        let start = ContinuousClock.now
        let grid = try GridFile.load(fixture("cases/grids/g13_million_cells.json"))
        #expect(grid.configurations.count == 1_000_000)
        #expect(grid.configurations.kept == nil)
        // The last list varies fastest, in schema order: learning_rate, batch_size, epochs.
        let last = grid.configurations[999_999]
        #expect(last["learning_rate"] == .number(0.1) && last["batch_size"] == .integer(100) && last["epochs"] == .integer(100))
        let second = grid.configurations[1]
        #expect(second["learning_rate"] == .number(0.001) && second["batch_size"] == .integer(1) && second["epochs"] == .integer(2))
        #expect(ContinuousClock.now - start < .seconds(5))
    }

    @Test func batchesEndWithAConfigurationAndEveryCellIsTrainedOnce() throws {
        let db = temporaryDirectory().appendingPathComponent("runs.db").path
        let store = try RunStore(path: db)
        let grid = try GridFile.load(fixture("cases/grids/g04_nested_lists.json"))
        var reported: [(Int, Int)] = []
        let prepared = try SweepPlanner.prepare(grid: grid, dataset: loadDataset(grid), store: store, toolVersion: "test",
                                                queueBatch: 5) { reported.append(($0, $1)) }
        // 5 cells asked for, 6 written: the second configuration's three seeds go together.
        #expect(try store.connection.scalar("SELECT COUNT(*) FROM runs")?.int == 6)
        #expect(reported.map(\.0) == [6] && reported.map(\.1) == [24])
        #expect(try store.cellCounts(sweepID: prepared.sweepID) == CellCounts(planned: 24, queued: 6))
        #expect(try store.statusCounts(sweepID: prepared.sweepID) == [.queued: 24])
        // The same cells as an eager plan: cell i is configuration i / 3, seed i % 3.
        let eager = temporaryDirectory().appendingPathComponent("eager.db").path
        _ = try runSweep(grid, db: eager, jobs: 1)
        let summary = SweepRunner().run(prepared, store: store, options: SweepOptions(jobs: 3, toolVersion: "test"))
        #expect(summary.complete && summary.trained == 24)
        #expect(try store.connection.scalar("SELECT COUNT(*) FROM runs WHERE status = 'finished' AND attempt = 1")?.int == 24)
        let cells = { (path: String) in
            try Connection(path: path).query("SELECT cell_index, config_sha256, seed, final_validation_accuracy FROM runs ORDER BY cell_index") {
                "\($0.int(0)!) \($0.string(1)!) \($0.int(2)!) \($0.double(3)!)"
            }
        }
        #expect(try cells(db) == cells(eager))
        #expect(try store.cellCounts(sweepID: prepared.sweepID) == CellCounts(planned: 24, queued: 24))
    }

    @Test func shardsQueueBatchesTooAndRefitWaitsForEveryCell() throws {
        let db = temporaryDirectory().appendingPathComponent("runs.db").path
        let store = try RunStore(path: db)
        let text = gridText(name: "lazy-refit", seeds: [1, 2], grid: #"{"hidden_layers": [[4]], "epochs": [5, 6, 7]}"#,
                            protocolJSON: #"{"test_fraction": 0.2, "folds": 2, "refit": true, "split_seed": 0}"#)
        let parsed = try grid(text)
        let prepared = try SweepPlanner.prepare(grid: parsed, dataset: loadDataset(parsed), store: store, toolVersion: "test", queueBatch: 1)
        #expect(try store.connection.scalar("SELECT COUNT(*) FROM runs")?.int == 4)
        // No fold is chosen while cells are still to be queued.
        #expect(try RefitPhase.selectReady(prepared.refit!, sweepID: prepared.sweepID, store: store) == 0)
        let shard = SweepRunner().run(prepared, store: store, options: SweepOptions(jobs: 1, shard: (1, 2), toolVersion: "test"))
        #expect(shard.trained == 6)
        #expect(try store.cellCounts(sweepID: prepared.sweepID).queued == 12)
        let rest = SweepRunner().run(prepared, store: store, options: SweepOptions(jobs: 2, toolVersion: "test"))
        #expect(rest.complete)
        #expect(try store.connection.scalar("SELECT COUNT(*) FROM runs WHERE phase = 'refit' AND status = 'finished'")?.int == 2)
        #expect(try store.connection.scalar("SELECT MIN(cell_index) FROM runs WHERE phase = 'refit'")?.int == 12)
    }
}
