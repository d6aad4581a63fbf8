import Determinism
import Foundation
import Testing
@testable import Datasets

/// Random label vectors for property tests: `classCount` classes, each with at least `minimum` rows.
func randomLabels(seed: UInt64, minimum: Int) -> (labels: [Int], classCount: Int) {
    var random = Xoshiro256StarStar(seed: seed &+ 1_000_003)
    let classCount = 2 + Int(random.nextIntByModulo(below: 5))
    var labels: [Int] = []
    for label in 0..<classCount {
        labels += Array(repeating: label, count: minimum + Int(random.nextIntByModulo(below: 40)))
    }
    random.shuffle(&labels, by: .modulo)
    return (labels, classCount)
}

@Suite struct SplitterTests {
    func expectedCount(_ n: Int, _ fraction: Double) -> Int {
        fraction > 0 ? max(1, Int((Double(n) * fraction).rounded())) : 0
    }

    @Test(arguments: 0..<100)
    func splitsPartitionStratifyAndAreDeterministic(seed: Int) throws {
        let (labels, classCount) = randomLabels(seed: UInt64(seed), minimum: 5)
        let fractions: [(Double, Double)] = [(0.2, 0.2), (0.3, 0.1), (0.25, 0), (0, 0.15), (0.1, 0.45)]
        let (testFraction, validationFraction) = fractions[seed % fractions.count]
        let split = try Splitter.stratified(labels: labels, classCount: classCount, testFraction: testFraction,
                                            validationFraction: validationFraction, seed: UInt64(seed))
        // A partition of all rows, each part sorted.
        #expect((split.train + split.validation + split.test).sorted() == Array(labels.indices))
        #expect(split.train == split.train.sorted())
        #expect(split.validation == split.validation.sorted())
        #expect(split.test == split.test.sorted())
        // Stratified: per-class counts as specified.
        for label in 0..<classCount {
            let n = labels.filter { $0 == label }.count
            let test = split.test.filter { labels[$0] == label }.count
            let validation = split.validation.filter { labels[$0] == label }.count
            #expect(test == expectedCount(n, testFraction), "class \(label), n = \(n)")
            #expect(validation == expectedCount(n, validationFraction), "class \(label), n = \(n)")
            #expect(split.train.filter { labels[$0] == label }.count == n - test - validation)
        }
        // Deterministic per seed, different across seeds.
        let again = try Splitter.stratified(labels: labels, classCount: classCount, testFraction: testFraction,
                                            validationFraction: validationFraction, seed: UInt64(seed))
        #expect(again == split)
        let other = try Splitter.stratified(labels: labels, classCount: classCount, testFraction: testFraction,
                                            validationFraction: validationFraction, seed: UInt64(seed) + 1)
        #expect(other != split)
    }

    @Test func splitIsPinnedAcrossPlatforms() throws {
        let labels = [0, 0, 0, 0, 0, 1, 1, 1, 1, 1]
        let split = try Splitter.stratified(labels: labels, classCount: 2, testFraction: 0.2, validationFraction: 0.2, seed: 7)
        let again = try Splitter.stratified(labels: labels, classCount: 2, testFraction: 0.2, validationFraction: 0.2, seed: 7)
        #expect(split == again)
        // Reproduce by hand: class 0 then class 1, each shuffled by one generator seeded with 7.
        var random = Xoshiro256StarStar(seed: 7)
        var zero = [0, 1, 2, 3, 4]
        random.shuffle(&zero, by: .modulo)
        var one = [5, 6, 7, 8, 9]
        random.shuffle(&one, by: .modulo)
        #expect(split.test == [zero[0], one[0]].sorted())
        #expect(split.validation == [zero[1], one[1]].sorted())
        #expect(split.train == (zero[2...] + one[2...]).sorted())
    }

    @Test func tooSmallClassNamesTheClassAndCounts() throws {
        let labels = [0, 0, 1, 1, 1, 1, 1, 2, 2, 2, 2, 2]
        #expect(throws: SplitError.classTooSmall(className: "Iris-setosa", rows: 2, testFraction: 0.2, validationFraction: 0.2)) {
            try Splitter.stratified(labels: labels, classCount: 3, testFraction: 0.2, validationFraction: 0.2, seed: 1,
                                    classNames: ["Iris-setosa", "Iris-versicolor", "Iris-virginica"])
        }
        let error = SplitError.classTooSmall(className: "Iris-setosa", rows: 2, testFraction: 0.2, validationFraction: 0.2)
        #expect(error.description
            == "class 'Iris-setosa' has 2 rows: too few for test_fraction 0.2 and validation_fraction 0.2 (needs at least 1 training row)")
        // A class with no rows at all is named too (by its label when no names are given).
        #expect(throws: SplitError.classTooSmall(className: "2", rows: 0, testFraction: 0.2, validationFraction: 0)) {
            try Splitter.stratified(labels: [0, 0, 0, 1, 1, 1], classCount: 3, testFraction: 0.2, validationFraction: 0, seed: 1)
        }
    }

    @Test func datasetSplitNamesItsClasses() throws {
        let dataset = Dataset(name: "t", featureNames: ["a"], classNames: ["big", "tiny"],
                              features: (0..<12).map(Double.init), labels: Array(repeating: 0, count: 10) + [1, 1])
        #expect(throws: SplitError.classTooSmall(className: "tiny", rows: 2, testFraction: 0.2, validationFraction: 0.2)) {
            try Splitter.stratified(dataset, testFraction: 0.2, validationFraction: 0.2, seed: 1)
        }
        let split = try Splitter.stratified(dataset, testFraction: 0.2, validationFraction: 0, seed: 1)
        #expect(split.test.count == 3)
    }

    @Test func aSmallClassStillGetsOneRowInEveryPart() throws {
        let labels = [0, 0, 0] + Array(repeating: 1, count: 20)
        let split = try Splitter.stratified(labels: labels, classCount: 2, testFraction: 0.1, validationFraction: 0.1, seed: 3)
        for part in [split.train, split.validation, split.test] {
            #expect(part.filter { labels[$0] == 0 }.count == 1)
        }
    }

    @Test(arguments: [(-0.1, 0.2), (1.0, 0.0), (0.2, 1.5), (Double.nan, 0.2), (0.6, 0.4), (0.2, Double.infinity)])
    func fractionsOutOfRangeAreRefused(test: Double, validation: Double) throws {
        #expect(throws: SplitError.self) {
            try Splitter.stratified(labels: Array(repeating: 0, count: 10) + Array(repeating: 1, count: 10),
                                    classCount: 2, testFraction: test, validationFraction: validation, seed: 1)
        }
    }

    @Test func fractionErrorMessageNamesTheFraction() {
        #expect(throws: SplitError.fractionOutOfRange(name: "test_fraction", value: 1.5)) {
            try Splitter.stratified(labels: [0, 1], classCount: 2, testFraction: 1.5, validationFraction: 0, seed: 1)
        }
        #expect(SplitError.fractionOutOfRange(name: "test_fraction", value: 1.5).description.hasPrefix("test_fraction 1.5 is out of range"))
    }

    @Test func labelsOutsideTheClassCountAreRefused() {
        #expect(throws: SplitError.labelOutOfRange(row: 2, label: 3, classCount: 2)) {
            try Splitter.stratified(labels: [0, 1, 3], classCount: 2, testFraction: 0.2, validationFraction: 0, seed: 1)
        }
    }
}

/// Stored splits must not change by a bit: row indices of today's splits, pinned.
@Suite struct SplitPinTests {
    static let labels = (0..<30).map { $0 % 3 }

    @Test func stratifiedSplitIsPinned() throws {
        let split = try Splitter.stratified(labels: Self.labels, classCount: 3, testFraction: 0.2, validationFraction: 0.2, seed: 42)
        #expect(split.train == [0, 2, 3, 4, 5, 6, 7, 10, 11, 12, 13, 15, 16, 17, 18, 20, 23, 28])
        #expect(split.validation == [1, 14, 19, 24, 27, 29])
        #expect(split.test == [8, 9, 21, 22, 25, 26])
    }

    @Test func kFoldIsPinned() throws {
        let folds = try Splitter.stratifiedKFold(rows: Array(0..<30), labels: Self.labels, classCount: 3, folds: 3, seed: 42)
        #expect(folds.map(\.validation) == [[1, 4, 5, 6, 8, 12, 13, 20, 21, 27], [3, 7, 9, 11, 15, 16, 19, 23, 25, 29],
                                             [0, 2, 10, 14, 17, 18, 22, 24, 26, 28]])
    }
}
