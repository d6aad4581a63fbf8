import Foundation
import Testing
@testable import Datasets

/// `DatasetSummary`: what `exp data show` prints.
@Suite struct SummaryTests {
    @Test func irisAsPublishedHasThreeRepeatedRows() throws {
        let iris = try DataFile.read(Fixture.dataFolder.appendingPathComponent("iris.data"))
        let summary = DatasetSummary(iris)
        #expect(summary.classCounts.map(\.name) == ["Iris-setosa", "Iris-versicolor", "Iris-virginica"])
        #expect(summary.classCounts.map(\.rows) == [50, 50, 50])
        // Samples 10, 35 and 38 are one flower three times; 102 and 143 another twice.
        #expect(summary.duplicateRows == 3)
        #expect(summary.conflictingRows == 0)
        #expect(summary.features.map(\.name) == ["x1", "x2", "x3", "x4"])
        #expect(summary.features[0].minimum == 4.3)
        #expect(summary.features[0].maximum == 7.9)
        #expect(abs(summary.features[2].mean - 3.758666) < 1e-5)
    }

    @Test func correctedIrisHasOneRepeatedRow() throws {
        let bezdek = try DataFile.read(Fixture.dataFolder.appendingPathComponent("bezdekIris.data"))
        #expect(DatasetSummary(bezdek).duplicateRows == 1)
    }

    @Test func conflictingLabelsAndNegativeZero() throws {
        let dataset = try DataFile.parse("""
            a,b,class
            1,2,x
            1,2,x
            1,2,y
            -0,4,y
            0,4,y
            3,-1,x
            """, file: "t.csv", name: "t")
        let summary = DatasetSummary(dataset)
        #expect(summary.duplicateRows == 2)
        #expect(summary.conflictingRows == 1)
        #expect(summary.classCounts.map(\.rows) == [3, 3])
        #expect(summary.features[1].minimum == -1)
        #expect(summary.features[1].maximum == 4)
        #expect(summary.features[0].mean == 1)
        #expect(abs(summary.features[0].standardDeviation - 1) < 1e-12)
    }
}
