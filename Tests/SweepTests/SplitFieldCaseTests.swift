import Datasets
import Foundation
import Testing
import TestSupport
@testable import Sweep
@testable import Tracker

/// Field case d11: rows sorted by class, 10 each; the split is stored with every run.
@Suite struct SplitFieldCaseTests {
    @Test func d11EveryClassInEveryPartAndTheSplitStoredWithTheRun() throws {
        let dir = temporaryDirectory()
        let data = fixture("cases/data/d11_iris_class_ordered_30.data").path
        try #"{"name": "d11", "dataset": "\#(data)", "protocol": {"test_fraction": 0.2, "validation_fraction": 0.2, "split_seed": 7},"#
            .appending(#" "seeds": [1, 2], "grid": {"epochs": [2], "hidden_layers": [[4]]}}"#)
            .write(to: dir.appendingPathComponent("grid.json"), atomically: true, encoding: .utf8)
        let grid = try GridFile.load(dir.appendingPathComponent("grid.json"))
        let store = try RunStore(path: dir.appendingPathComponent("runs.db").path)
        let dataset = try DataFile.read(URL(fileURLWithPath: data))
        #expect(dataset.classCounts == [10, 10, 10])
        _ = try SweepPlanner.prepare(grid: grid, dataset: dataset, store: store, toolVersion: "test")
        let runs = try store.connection.query("SELECT split_seed, split_id FROM runs ORDER BY run_id") {
            (try $0.required($0.int, "split_seed"), try $0.required($0.id, "split_id"))
        }
        #expect(runs.count == 2)
        #expect(runs.allSatisfy { $0.0 == 7 }, "the split seed is stored with every run")
        #expect(Set(runs.map(\.1)).count == 1)
        let rows = try store.split(id: runs[0].1)
        for label in 0..<3 {
            #expect(rows.test.filter { dataset.labels[$0] == label }.count == 2)
            #expect(rows.validation.filter { dataset.labels[$0] == label }.count == 2)
            #expect(rows.train.filter { dataset.labels[$0] == label }.count == 6)
        }
        let expected = try Splitter.stratified(dataset, testFraction: 0.2, validationFraction: 0.2, seed: 7)
        #expect(rows.train == expected.train && rows.validation == expected.validation && rows.test == expected.test)
    }
}
