import Datasets
import Foundation
import NeuralNet
import Testing
import TestSupport
@testable import Sweep
@testable import Tracker

/// Stored data is forever: a data set stored when numeric class names were sorted as text
/// (`10` before `2`) keeps that class order, and with it its splits and its models' outputs.
@Suite struct StoredClassOrderTests {
    /// 10 rows of each of the classes `1`, `2` and `10`, and a grid over them.
    func folder() throws -> (dir: URL, grid: GridFile, dataset: Dataset) {
        let dir = temporaryDirectory()
        var text = "a,b,target\n"
        for i in 0..<10 {
            for label in ["1", "2", "10"] { text += "\(Double(label)! + Double(i) / 10),\(Double(i)),\(label)\n" }
        }
        try text.write(to: dir.appendingPathComponent("numbers.csv"), atomically: true, encoding: .utf8)
        try #"{"name": "n", "dataset": "numbers.csv", "seeds": [1], "grid": {"epochs": [2], "hidden_layers": [[4]]}}"#
            .write(to: dir.appendingPathComponent("grid.json"), atomically: true, encoding: .utf8)
        let grid = try GridFile.load(dir.appendingPathComponent("grid.json"))
        return (dir, grid, try DataFile.read(dir.appendingPathComponent("numbers.csv")))
    }

    func storedSplit(_ store: RunStore) throws -> SplitRows {
        let id = try #require(try store.connection.scalar("SELECT MIN(split_id) FROM runs")?.int)
        return try store.split(id: Int64(id))
    }

    func expectedSplit(_ dataset: Dataset, _ grid: GridFile) throws -> Split {
        try Splitter.stratified(labels: dataset.labels, classCount: 3, testFraction: grid.evaluation.testFraction,
                                validationFraction: grid.evaluation.validationFraction ?? 0.2, seed: UInt64(grid.evaluation.splitSeed))
    }

    @Test func aDataSetStoredInTextOrderKeepsItsOrderAndItsSplit() throws {
        let (dir, grid, dataset) = try folder()
        #expect(dataset.classNames == ["1", "2", "10"])
        let old = try #require(dataset.withClassOrder(["1", "10", "2"]))
        let store = try RunStore(path: dir.appendingPathComponent("runs.db").path)
        // As an older version stored it: same content, same hash, classes sorted as text.
        let record = try store.storeDataset(DatasetImport.record(old, sourcePath: "numbers.csv"))
        #expect(record.sha256 == dataset.contentHash)

        let prepared = try SweepPlanner.prepare(grid: grid, dataset: dataset, store: store, toolVersion: "test")
        #expect(prepared.dataset.classNames == ["1", "10", "2"])
        #expect(prepared.dataset.contentHash == record.sha256)
        #expect(try store.datasets().count == 1)
        let textOrder = try expectedSplit(old, grid), numericOrder = try expectedSplit(dataset, grid)
        try #require(textOrder.test != numericOrder.test, "the class order decides the split")
        let stored = try storedSplit(store)
        #expect(stored.train == textOrder.train)
        #expect(stored.validation == textOrder.validation)
        #expect(stored.test == textOrder.test)

        // Runs trained now name their outputs in the stored order.
        let summary = SweepRunner().run(prepared, store: store, options: SweepOptions(jobs: 1, toolVersion: "test"))
        #expect(summary.storeError == nil)
        let run = try #require(try store.connection.scalar("SELECT MIN(run_id) FROM runs")?.int)
        #expect(try Model(safetensors: try store.weights(runID: Int64(run))).classNames == ["1", "10", "2"])
    }

    @Test func aNewDataSetIsStoredInNumericOrder() throws {
        let (dir, grid, dataset) = try folder()
        let store = try RunStore(path: dir.appendingPathComponent("runs.db").path)
        let prepared = try SweepPlanner.prepare(grid: grid, dataset: dataset, store: store, toolVersion: "test")
        #expect(prepared.dataset.classNames == ["1", "2", "10"])
        #expect(try store.dataset(sha256: dataset.contentHash)?.classNames == ["1", "2", "10"])
        #expect(try storedSplit(store).test == (try expectedSplit(dataset, grid)).test)
    }

    /// Two databases holding the same content in two class orders have different splits:
    /// merging them is refused, and nothing is merged.
    @Test func mergeRefusesTheSameContentInAnotherClassOrder() throws {
        let (dir, grid, dataset) = try folder()
        let old = try #require(dataset.withClassOrder(["1", "10", "2"]))
        let olderPath = dir.appendingPathComponent("older.db").path
        let older = try RunStore(path: olderPath)
        try older.storeDataset(DatasetImport.record(old, sourcePath: "numbers.csv"))
        _ = try SweepPlanner.prepare(grid: grid, dataset: dataset, store: older, toolVersion: "test")
        let newer = try RunStore(path: dir.appendingPathComponent("newer.db").path)
        _ = try SweepPlanner.prepare(grid: grid, dataset: dataset, store: newer, toolVersion: "test")
        let runsBefore = try newer.connection.scalar("SELECT COUNT(*) FROM runs")?.int
        #expect(throws: TrackerError.classOrderDiffers(dataset: "numbers@1", stored: ["1", "2", "10"], merged: ["1", "10", "2"])) {
            try newer.merge(from: olderPath)
        }
        #expect(try newer.connection.scalar("SELECT COUNT(*) FROM runs")?.int == runsBefore)
        #expect(try newer.datasets().map(\.classNames) == [["1", "2", "10"]])
    }
}
