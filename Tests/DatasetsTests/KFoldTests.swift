import Testing
@testable import Datasets

@Suite struct KFoldTests {
    @Test(arguments: 0..<60)
    func foldsPartitionTheRowsAndStayStratified(seed: Int) throws {
        let (labels, classCount) = randomLabels(seed: UInt64(seed), minimum: 15)
        let folds = 2 + seed % 7
        // Use a subset of rows, as for the non-test rows of a split.
        let rows = labels.indices.filter { ($0 * 7 + seed) % 5 != 0 }
        let result = try Splitter.stratifiedKFold(rows: rows, labels: labels, classCount: classCount, folds: folds, seed: UInt64(seed))
        #expect(result.count == folds)
        // Every row is in exactly one validation fold; train is the rest.
        #expect(result.flatMap(\.validation).sorted() == rows)
        for fold in result {
            #expect(fold.validation == fold.validation.sorted())
            #expect(fold.train == fold.train.sorted())
            #expect((fold.train + fold.validation).sorted() == rows)
            #expect(Set(fold.train).isDisjoint(with: fold.validation))
        }
        // Fold sizes and each class's count per fold differ by at most 1.
        let sizes = result.map(\.validation.count)
        #expect(sizes.max()! - sizes.min()! <= 1)
        for label in 0..<classCount {
            let counts = result.map { fold in fold.validation.filter { labels[$0] == label }.count }
            #expect(counts.max()! - counts.min()! <= 1, "class \(label): \(counts)")
            #expect(counts.min()! >= 1)
        }
        // Deterministic per seed, different across seeds.
        let again = try Splitter.stratifiedKFold(rows: rows, labels: labels, classCount: classCount, folds: folds, seed: UInt64(seed))
        #expect(again.map(\.validation) == result.map(\.validation))
        let other = try Splitter.stratifiedKFold(rows: rows, labels: labels, classCount: classCount, folds: folds, seed: UInt64(seed) + 1)
        #expect(other.map(\.validation) != result.map(\.validation))
    }

    @Test func foldErrors() {
        let labels = [0, 0, 0, 1, 1, 1, 1, 1]
        #expect(throws: SplitError.tooFewFolds(folds: 1)) {
            try Splitter.stratifiedKFold(rows: Array(labels.indices), labels: labels, classCount: 2, folds: 1, seed: 1)
        }
        #expect(throws: SplitError.classTooSmallForFolds(className: "a", rows: 3, folds: 4)) {
            try Splitter.stratifiedKFold(rows: Array(labels.indices), labels: labels, classCount: 2, folds: 4, seed: 1,
                                         classNames: ["a", "b"])
        }
        #expect(SplitError.classTooSmallForFolds(className: "a", rows: 3, folds: 4).description.hasPrefix("class 'a' has 3 rows: too few for 4 folds"))
        #expect(throws: SplitError.invalidRow(row: 2, reason: "is repeated")) {
            try Splitter.stratifiedKFold(rows: [0, 2, 2, 3], labels: labels, classCount: 2, folds: 2, seed: 1)
        }
        #expect(throws: SplitError.invalidRow(row: 8, reason: "is out of range 0..<8")) {
            try Splitter.stratifiedKFold(rows: [0, 8], labels: labels, classCount: 2, folds: 2, seed: 1)
        }
    }

    @Test func foldsOverTheTrainingAndValidationRowsOfASplit() throws {
        let labels = (0..<60).map { $0 / 20 }
        let split = try Splitter.stratified(labels: labels, classCount: 3, testFraction: 0.2, validationFraction: 0, seed: 5)
        let folds = try Splitter.stratifiedKFold(rows: split.train, labels: labels, classCount: 3, folds: 4, seed: 5)
        #expect(folds.allSatisfy { Set($0.validation).isDisjoint(with: split.test) && Set($0.train).isDisjoint(with: split.test) })
        #expect(folds.map(\.validation.count) == [12, 12, 12, 12])
    }
}
