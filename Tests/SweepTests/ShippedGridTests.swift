import Foundation
import Testing
import TestSupport
@testable import Sweep

/// Every grid in the repository's `Data/grids/` is valid, reads its data set and can split it.
@Suite struct ShippedGridTests {
    static let folder = repositoryRoot.appendingPathComponent("Data/grids")

    static let grids = ["iris", "bezdek_iris", "wine", "breast_cancer", "digits"]

    @Test func oneGridPerShippedDataSet() throws {
        let files = try FileManager.default.contentsOfDirectory(atPath: Self.folder.path).filter { $0.hasSuffix(".json") }
        #expect(Set(files) == Set((Self.grids + ["iris-nested"]).map { "\($0).json" }))
    }

    @Test(arguments: grids)
    func loadsReadsAndSplits(_ name: String) throws {
        let grid = try GridFile.load(Self.folder.appendingPathComponent("\(name).json"))
        #expect(grid.name == name)
        #expect(grid.seeds.count == 5)
        let dataset = try loadDataset(grid)
        let splits = try SweepPlanner.splits(for: grid.evaluation, dataset: dataset)
        #expect(splits.count == 1)
        #expect(!splits[0].rows.test.isEmpty && !splits[0].rows.validation.isEmpty)
    }

    /// The nested Iris search space measured by scripts/nested_baselines.py, fixed before any
    /// outer score was seen: 17 configurations x 2 seeds on 3 repeats x 10 outer x 5 inner folds.
    @Test func nestedIrisGridIsTheFixedSearchSpace() throws {
        let grid = try GridFile.load(Self.folder.appendingPathComponent("iris-nested.json"))
        #expect(grid.name == "iris-nested")
        #expect(grid.configurations.count == 17 && grid.seeds == [1, 2])
        #expect(grid.evaluation.outerFolds == 10 && grid.evaluation.innerFolds == 5 && grid.evaluation.repeats == 3)
        let splits = try SweepPlanner.splits(for: grid.evaluation, dataset: try loadDataset(grid))
        #expect(splits.count == 3 * 10 * 5 + 3 * 10)
        #expect(splits.filter { $0.phase == .refit }.allSatisfy { $0.rows.test.count == 15 })
    }
}
