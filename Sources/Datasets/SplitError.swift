/// Why a split cannot be made. ``description`` is one line naming the class and counts.
public enum SplitError: Error, Equatable, CustomStringConvertible {
    /// A fraction is not finite or not in `0..<1`, or the test and validation fractions add
    /// up to 1 or more.
    case fractionOutOfRange(name: String, value: Double)
    /// A class has too few rows to give every part with a positive fraction at least one row and
    /// keep at least one training row.
    case classTooSmall(className: String, rows: Int, testFraction: Double, validationFraction: Double)
    /// `folds` is less than 2.
    case tooFewFolds(folds: Int)
    /// A class has fewer rows than there are folds.
    case classTooSmallForFolds(className: String, rows: Int, folds: Int)
    /// A label is not in `0..<classCount`.
    case labelOutOfRange(row: Int, label: Int, classCount: Int)
    /// A row index is negative, not below `labels.count`, or repeated.
    case invalidRow(row: Int, reason: String)

    /// One line, e.g. `class 'Iris-setosa' has 2 rows: too few for test_fraction 0.2 and
    /// validation_fraction 0.2 (needs at least 1 training row)`.
    public var description: String {
        switch self {
        case .fractionOutOfRange(let name, let value):
            return "\(name) \(value) is out of range: fractions must be at least 0, below 1, and test_fraction + validation_fraction below 1"
        case .classTooSmall(let className, let rows, let test, let validation):
            return "class '\(className)' has \(rows) \(rows == 1 ? "row" : "rows"): too few for test_fraction \(test) and validation_fraction \(validation) (needs at least 1 training row)"
        case .tooFewFolds(let folds):
            return "folds is \(folds): k-fold cross-validation needs at least 2 folds"
        case .classTooSmallForFolds(let className, let rows, let folds):
            return "class '\(className)' has \(rows) \(rows == 1 ? "row" : "rows"): too few for \(folds) folds (each fold's validation part needs a row of every class)"
        case .labelOutOfRange(let row, let label, let classCount):
            return "row \(row) has label \(label), not in 0..<\(classCount)"
        case .invalidRow(let row, let reason):
            return "row index \(row) \(reason)"
        }
    }
}
