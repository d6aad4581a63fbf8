import Foundation
import Testing
import TestSupport
@testable import Sweep

/// The cell limit: a grid's search cells are counted from its list lengths before anything is
/// expanded, and a grid over the limit is refused with its count.
@Suite struct GridScaleTests {
    @Test func fiveBillionCellsAreRefusedBeforeExpanding() {
        // Expanding the 5e9 cells would exhaust memory long before this returned: reaching the
        // expectations at all shows the count came from the list lengths (speed is not asserted).
        let problems = gridProblems(fixture("cases/grids/g12_five_billion_cells.json"))
        #expect(problems.count == 1)
        #expect(problems.first?.contains("grid: has 5000000000 cells (up to 1000000000 configurations x 5 seeds), "
                                         + "over the limit of 10000000") == true, "\(problems)")
        #expect(problems.first?.hasPrefix("line 1,") == true, "\(problems)")
    }

    @Test func splitsAndSeedsCountTowardsTheLimit() throws {
        // g04: 8 configurations x 3 seeds, here x 2 repeats x 5 folds = 240 cells.
        let text = try String(contentsOf: fixture("cases/grids/g04_nested_lists.json"), encoding: .utf8)
            .replacingOccurrences(of: #""validation_fraction": 0.2"#, with: #""folds": 5, "repeats": 2"#)
        let url = fixture("cases/grids/g04_folds.json")
        #expect(try GridFile.parse(text, url: url, maxCells: 240).configurations.count == 8)
        let error = try #require(throws: GridError.self) { try GridFile.parse(text, url: url, maxCells: 239) }
        #expect(error.problems.map(\.path) == ["grid"])
        #expect(error.problems.first?.message
                == "has 240 cells (up to 8 configurations x 3 seeds x 10 splits), over the limit of 239; "
                + "split the grid, or raise the limit with --max-cells")
    }

    @Test func everyGridObjectCountsTowardsTheLimit() throws {
        let text = gridText(name: "two-objects", seeds: [1, 2],
                            grid: #"[{"learning_rate": [0.1, 0.2, 0.3]}, {"epochs": [5, 6], "batch_size": [4, 8]}]"#)
        #expect(try GridFile.parse(text, url: fixture("inline.json"), maxCells: 14).configurations.count == 7)
        let error = try #require(throws: GridError.self) { try GridFile.parse(text, url: fixture("inline.json"), maxCells: 13) }
        #expect(error.problems.first?.message.hasPrefix("has 14 cells (up to 7 configurations x 2 seeds)") == true)
    }

    @Test func searchSplitCountFollowsTheProtocol() {
        #expect(EvaluationProtocol(testFraction: 0.2, validationFraction: 0.2, folds: nil, splitSeed: 0).searchSplitCount == 1)
        #expect(EvaluationProtocol(testFraction: 0.2, validationFraction: nil, folds: 5, splitSeed: 0, repeats: 3).searchSplitCount == 15)
        #expect(EvaluationProtocol(testFraction: 0, validationFraction: nil, folds: nil, splitSeed: 0, repeats: 2,
                                   outerFolds: 10, innerFolds: 5).searchSplitCount == 100)
    }

    @Test func countsSaturateInsteadOfOverflowing() {
        #expect(Int.max.saturatingMultiply(2) == .max)
        #expect((Int.max / 2 + 1).saturatingAdd(Int.max / 2 + 1) == .max)
        #expect(1_000.saturatingMultiply(1_000).saturatingAdd(5) == 1_000_005)
    }
}
