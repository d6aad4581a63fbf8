import Foundation
import Testing
@testable import Datasets

/// Random label vectors for property tests: `classCount` classes, each with at least `minimum` rows.
func randomLabels(seed: UInt64, minimum: Int) -> (labels: [Int], classCount: Int) {
    var random = SplitRandom(seed: seed &+ 1_000_003)
    let classCount = 2 + Int(random.below(5))
    var labels: [Int] = []
    for label in 0..<classCount {
        labels += Array(repeating: label, count: minimum + Int(random.below(40)))
    }
    random.shuffle(&labels)
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
        var random = SplitRandom(seed: 7)
        var zero = [0, 1, 2, 3, 4]
        random.shuffle(&zero)
        var one = [5, 6, 7, 8, 9]
        random.shuffle(&one)
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

    @Test func randomGeneratorMatchesReferenceValues() {
        // SplitMix64 from seed 0, as published by its authors.
        var state: UInt64 = 0
        #expect(SplitRandom.splitMix64(&state) == 0xE220_A839_7B1D_CDAF)
        #expect(SplitRandom.splitMix64(&state) == 0x6E78_9E6A_A1B9_65F4)
        #expect(SplitRandom.splitMix64(&state) == 0x06C4_5D18_8009_454F)
        // xoshiro256** seeded by SplitMix64(42), and a Fisher-Yates shuffle, from an independent implementation.
        var random = SplitRandom(seed: 42)
        #expect([random.next(), random.next(), random.next()] == [0x1578_0B2E_0C2E_C716, 0x6104_D986_6D11_3A7E, 0xAE17_5332_39E4_99A1])
        var shuffled = Array(0..<10)
        var seeded = SplitRandom(seed: 1)
        seeded.shuffle(&shuffled)
        #expect(shuffled == [3, 8, 0, 9, 2, 5, 6, 4, 1, 7])
    }

    @Test func belowIsInRangeAndCoversIt() {
        var random = SplitRandom(seed: 9)
        var seen = Set<UInt64>()
        for _ in 0..<1000 {
            let value = random.below(7)
            #expect(value < 7)
            seen.insert(value)
        }
        #expect(seen.count == 7)
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

/// Outputs of the split generator's rejection-sampling bounded integers, from an independent
/// implementation.
@Suite struct SplitGeneratorPinTests {
    @Test func boundedIntegersByRejection() {
        let huge: UInt64 = (1 << 63) + 1
        let bounds: [UInt64] = [1, 2, 3, 7, 10, 1000, huge, huge, huge]
        let expected: [UInt64: [UInt64]] = [
            0: [0, 0, 1, 3, 7, 498, 7788427924976520344, 2108416074180405844, 1240209487116192693],
            1: [0, 0, 2, 6, 1, 162, 1310552918490157286, 7031611932980406429, 1484150211974036615],
            42: [0, 0, 2, 4, 6, 584, 5362058279183681893, 5928998142081247042, 1712965807924549849],
            2024: [0, 1, 2, 1, 3, 397, 7274211378853734312, 4740947161906248556, 934651160063433124],
        ]
        for (seed, values) in expected {
            var random = SplitRandom(seed: seed)
            #expect(bounds.map { random.below($0) } == values, "seed \(seed)")
        }
        // 1000 draws, about half of them rejected, folded into one number; then the next raw output.
        var random = SplitRandom(seed: 7)
        var digest: UInt64 = 0
        for _ in 0..<1000 { digest = digest &* 31 &+ random.below(huge) }
        #expect(digest == 0x020F_1366_08B2_7A13)
        #expect(random.next() == 0x3803_AB96_14E1_7B4E)
        var small = SplitRandom(seed: 7)
        digest = 0
        for _ in 0..<1000 { digest = digest &* 31 &+ small.below(7) }
        #expect(digest == 0x7A45_23B2_BB46_A990)
    }

    @Test func shuffle() {
        let expected: [UInt64: [Int]] = [0: [4, 2, 1, 7, 5, 6, 3, 9, 8, 0], 1: [3, 8, 0, 9, 2, 5, 6, 4, 1, 7],
                                         42: [7, 3, 8, 9, 5, 6, 4, 1, 0, 2], 2024: [5, 4, 6, 0, 2, 9, 7, 1, 3, 8]]
        for (seed, shuffled) in expected {
            var random = SplitRandom(seed: seed)
            var items = Array(0..<10)
            random.shuffle(&items)
            #expect(items == shuffled, "seed \(seed)")
        }
    }
}
