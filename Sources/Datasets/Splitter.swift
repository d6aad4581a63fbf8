import Determinism

/// Stratified random splits of row indices, reproducible from a seed.
///
/// All randomness comes from `Xoshiro256StarStar` (Determinism) with its modulo bounded
/// integers and Fisher-Yates shuffles, class by class in label order, so a seed gives the same
/// split on every platform.
public enum Splitter {
    /// Stratified shuffled split into training, validation and test rows.
    ///
    /// For each class `c` with `n_c` rows: `round(n_c * testFraction)` test rows and
    /// `round(n_c * validationFraction)` validation rows (rounding halves away from zero), but at
    /// least 1 of each when its fraction is above 0; the rest are training rows. The class's row
    /// indices are shuffled (Fisher-Yates) and taken in that order: test first, then validation,
    /// then training. Classes are processed in label order with one generator seeded by `seed`.
    ///
    /// - Parameters:
    ///   - labels: one label per row (`rowCount` entries) in `0..<classCount`.
    ///   - classCount: the number of classes.
    ///   - testFraction: in `0..<1`.
    ///   - validationFraction: in `0..<1`; with `testFraction`, below 1 in sum.
    ///   - seed: the generator seed.
    ///   - classNames: names for messages (default: the label number).
    /// - Returns: a ``Split`` whose three index lists are sorted and partition `0..<labels.count`.
    /// - Throws: ``SplitError/fractionOutOfRange(name:value:)``,
    ///   ``SplitError/labelOutOfRange(row:label:classCount:)``, and
    ///   ``SplitError/classTooSmall(className:rows:testFraction:validationFraction:)`` when a class
    ///   (including one with no rows) cannot keep a training row.
    public static func stratified(labels: [Int], classCount: Int, testFraction: Double, validationFraction: Double,
                                  seed: UInt64, classNames: [String] = []) throws -> Split {
        try checkFraction("test_fraction", testFraction)
        try checkFraction("validation_fraction", validationFraction)
        guard testFraction + validationFraction < 1 else {
            throw SplitError.fractionOutOfRange(name: "test_fraction + validation_fraction", value: testFraction + validationFraction)
        }
        let byClass = try rowsByClass(Array(labels.indices), labels: labels, classCount: classCount)
        var random = Xoshiro256StarStar(seed: seed)
        var split = Split(train: [], validation: [], test: [])
        for (label, rows) in byClass.enumerated() {
            let n = rows.count
            let testCount = partSize(n, testFraction)
            let validationCount = partSize(n, validationFraction)
            guard n - testCount - validationCount >= 1 else {
                throw SplitError.classTooSmall(className: name(label, classNames), rows: n,
                                               testFraction: testFraction, validationFraction: validationFraction)
            }
            var shuffled = rows
            random.shuffle(&shuffled, by: .modulo)
            split.test += shuffled[0..<testCount]
            split.validation += shuffled[testCount..<(testCount + validationCount)]
            split.train += shuffled[(testCount + validationCount)...]
        }
        split.train.sort()
        split.validation.sort()
        split.test.sort()
        return split
    }

    /// ``stratified(labels:classCount:testFraction:validationFraction:seed:classNames:)`` for a
    /// data set, naming its classes in errors.
    ///
    /// - Returns: a ``Split`` of `0..<dataset.rowCount`.
    /// - Throws: ``SplitError`` as the labels version does.
    public static func stratified(_ dataset: Dataset, testFraction: Double, validationFraction: Double,
                                  seed: UInt64) throws -> Split {
        try stratified(labels: dataset.labels, classCount: dataset.classNames.count, testFraction: testFraction,
                       validationFraction: validationFraction, seed: seed, classNames: dataset.classNames)
    }

    /// Holds out a stratified share of `rows` (for example a split's training rows, to watch
    /// for early stopping): ``stratified(labels:classCount:testFraction:validationFraction:seed:classNames:)``
    /// applied to the labels of `rows`, with `fraction` as its test fraction.
    ///
    /// - Parameters:
    ///   - fraction: share of each class's rows held out, in `0..<1`; at least 1 row of each
    ///     class when above 0.
    ///   - rows: distinct row indices into `labels`.
    ///   - labels: the labels of the whole data set, indexed by row.
    ///   - classCount: the number of classes.
    ///   - seed: the generator seed.
    ///   - classNames: names for messages (default: the label number).
    /// - Returns: the rows kept and the rows held out, each sorted; together they are `rows`.
    /// - Throws: ``SplitError`` as that function does, e.g.
    ///   ``SplitError/classTooSmall(className:rows:testFraction:validationFraction:)`` for a
    ///   class of `rows` that cannot keep a row.
    public static func holdOut(_ fraction: Double, of rows: [Int], labels: [Int], classCount: Int, seed: UInt64,
                               classNames: [String] = []) throws -> (kept: [Int], heldOut: [Int]) {
        let split = try stratified(labels: rows.map { labels[$0] }, classCount: classCount, testFraction: fraction,
                                   validationFraction: 0, seed: seed, classNames: classNames)
        return (split.train.map { rows[$0] }.sorted(), split.test.map { rows[$0] }.sorted())
    }

    /// Stratified k-fold cross-validation over `rows` (for example the non-test rows of a split).
    ///
    /// The rows of each class are shuffled (Fisher-Yates) and dealt to the folds in turn; the
    /// dealing continues from class to class, so fold sizes differ by at most 1 and each class's
    /// count per fold differs by at most 1. Classes with no row in `rows` are ignored.
    ///
    /// - Parameters:
    ///   - rows: distinct row indices into `labels`.
    ///   - labels: the labels of the whole data set, indexed by row.
    ///   - classCount: the number of classes.
    ///   - folds: k, at least 2.
    ///   - seed: the generator seed.
    ///   - classNames: names for messages (default: the label number).
    /// - Returns: `folds` pairs; pair `i` has fold `i`'s rows as `validation` and all other rows
    ///   as `train`, both sorted. Every row is in exactly one `validation`.
    /// - Throws: ``SplitError/tooFewFolds(folds:)``, ``SplitError/invalidRow(row:reason:)``,
    ///   ``SplitError/labelOutOfRange(row:label:classCount:)``, and
    ///   ``SplitError/classTooSmallForFolds(className:rows:folds:)`` when a class present in
    ///   `rows` has fewer rows than `folds`.
    public static func stratifiedKFold(rows: [Int], labels: [Int], classCount: Int, folds: Int, seed: UInt64,
                                       classNames: [String] = []) throws -> [(train: [Int], validation: [Int])] {
        guard folds >= 2 else { throw SplitError.tooFewFolds(folds: folds) }
        var seen = Set<Int>()
        for row in rows {
            guard row >= 0 && row < labels.count else {
                throw SplitError.invalidRow(row: row, reason: "is out of range 0..<\(labels.count)")
            }
            guard seen.insert(row).inserted else { throw SplitError.invalidRow(row: row, reason: "is repeated") }
        }
        let byClass = try rowsByClass(rows.sorted(), labels: labels, classCount: classCount)
        var random = Xoshiro256StarStar(seed: seed)
        var foldOf: [Int: Int] = [:]
        var next = 0
        for (label, classRows) in byClass.enumerated() where !classRows.isEmpty {
            guard classRows.count >= folds else {
                throw SplitError.classTooSmallForFolds(className: name(label, classNames), rows: classRows.count, folds: folds)
            }
            var shuffled = classRows
            random.shuffle(&shuffled, by: .modulo)
            for row in shuffled {
                foldOf[row] = next
                next = (next + 1) % folds
            }
        }
        let ordered = rows.sorted()
        return (0..<folds).map { fold in
            (train: ordered.filter { foldOf[$0] != fold }, validation: ordered.filter { foldOf[$0] == fold })
        }
    }

    private static func checkFraction(_ name: String, _ value: Double) throws {
        guard value.isFinite, value >= 0, value < 1 else {
            throw SplitError.fractionOutOfRange(name: name, value: value)
        }
    }

    private static func partSize(_ n: Int, _ fraction: Double) -> Int {
        guard fraction > 0 else { return 0 }
        return max(1, Int((Double(n) * fraction).rounded(.toNearestOrAwayFromZero)))
    }

    private static func name(_ label: Int, _ classNames: [String]) -> String {
        label < classNames.count ? classNames[label] : String(label)
    }

    /// The given rows grouped by label, each group in the order given.
    private static func rowsByClass(_ rows: [Int], labels: [Int], classCount: Int) throws -> [[Int]] {
        var byClass = [[Int]](repeating: [], count: max(classCount, 0))
        for row in rows {
            let label = labels[row]
            guard label >= 0 && label < classCount else {
                throw SplitError.labelOutOfRange(row: row, label: label, classCount: classCount)
            }
            byClass[label].append(row)
        }
        return byClass
    }
}
