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
        #expect(Set(files) == Set(Self.grids.map { "\($0).json" }))
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
}
