import Foundation
import Testing
import TestSupport
@testable import Sweep
@testable import Tracker

@Suite struct ShardMergeTests {
    /// Everything that identifies a run's outcome, keyed by its cell.
    func outcomes(_ path: String) throws -> [String: String] {
        let store = try RunStore(path: path)
        let runs = try store.connection.query("""
            SELECT config_sha256 || '/' || seed || '/' || fold, status || ' ' || final_validation_accuracy || ' ' || test_accuracy
                   || ' ' || best_epoch || ' ' || test_confusion || ' ' || validation_balanced_accuracy || ' ' || validation_macro_f1
                   || ' ' || validation_log_loss || ' ' || test_balanced_accuracy || ' ' || test_macro_f1 || ' ' || test_log_loss FROM runs
            """) { ($0.string(0)!, $0.string(1)!) }
        return Dictionary(uniqueKeysWithValues: runs)
    }

    func metrics(_ path: String) throws -> [String] {
        let store = try RunStore(path: path)
        return try store.connection.query("""
            SELECT r.config_sha256 || '/' || r.seed || '/' || m.epoch || ' ' || m.train_loss || ' ' || m.validation_loss
            FROM epoch_metrics m JOIN runs r USING (run_id) ORDER BY 1
            """) { $0.string(0)! }
    }

    func weights(_ path: String) throws -> [String: [UInt8]] {
        let store = try RunStore(path: path)
        let rows = try store.connection.query("""
            SELECT r.config_sha256 || '/' || r.seed || '/' || w.kind, w.data FROM weights w JOIN runs r USING (run_id)
            """) { ($0.string(0)!, $0.value(1).bytes!) }
        return Dictionary(uniqueKeysWithValues: rows)
    }

    @Test func threeShardsMergedEqualOneProcess() throws {
        let dir = temporaryDirectory()
        let grid = try GridFile.load(fixture("cases/grids/g04_nested_lists.json"))
        let whole = dir.appendingPathComponent("whole.db").path
        try runSweep(grid, db: whole, jobs: 2)

        var shardPaths: [String] = []
        for index in 0..<3 {
            let path = dir.appendingPathComponent("shard\(index).db").path
            let store = try RunStore(path: path)
            let prepared = try SweepPlanner.prepare(grid: grid, dataset: loadDataset(grid), store: store, toolVersion: "test")
            let summary = SweepRunner().run(prepared, store: store, options: SweepOptions(
                jobs: 2, shard: (index, 3), toolVersion: "test"))
            // The summary is the shard's own cells; the file holds the other shards' cells queued.
            #expect(summary.counts == [.finished: 8])
            #expect(summary.complete)
            #expect(try store.statusCounts(sweepID: prepared.sweepID) == [.finished: 8, .queued: 16])
            shardPaths.append(path)
        }
        let merged = dir.appendingPathComponent("merged.db").path
        let store = try RunStore(path: merged)
        var added = 0
        for path in shardPaths { added += try store.merge(from: path).added }
        #expect(added == 24)
        #expect(try outcomes(merged) == outcomes(whole))
        #expect(try metrics(merged) == metrics(whole))
        #expect(try weights(merged) == weights(whole))
        #expect(try store.connection.scalar("SELECT COUNT(*) FROM runs WHERE status = 'finished'")?.int == 24)

        // Merging again changes nothing.
        for path in shardPaths {
            let again = try store.merge(from: path)
            #expect(again.added == 0)
            #expect(again.replaced == 0)
        }
        #expect(try outcomes(merged) == outcomes(whole))
        #expect(try store.connection.scalar("SELECT COUNT(*) FROM epoch_metrics")?.int == 24 * 50)
        #expect(try store.connection.scalar("PRAGMA integrity_check")?.string == "ok")

        // A sweep's benchmark travels with it.
        let source = try RunStore(path: whole)
        try source.setBenchmark(sweepID: try #require(try source.sweep(named: grid.name)?.id), Benchmark(testAccuracy: 0.9, source: "a paper"))
        let copy = try RunStore(path: dir.appendingPathComponent("copy.db").path)
        #expect(try copy.merge(from: whole).added == 24)
        #expect(try copy.sweep(named: grid.name)?.benchmark == Benchmark(testAccuracy: 0.9, source: "a paper"))
    }
}
