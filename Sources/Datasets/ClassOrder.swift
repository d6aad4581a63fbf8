/// The order of a data set's classes, which is the order of a model's outputs and of every
/// confusion matrix's rows and columns.
///
/// When every class name is a decimal number, classes are ordered by value (`2` before `10`,
/// `-1` before `0`), as scikit-learn's `np.unique` orders integer labels; otherwise by
/// `String <`. A data set already stored keeps the order it was stored with (see
/// ``Dataset/withClassOrder(_:)``): its splits were drawn class by class in that order.
public enum ClassOrder {
    /// `names` without duplicates, in class order.
    ///
    /// - Returns: by numeric value (ties, which a data set never has, by `String <`) when every
    ///   name is a finite decimal number (`[+-]digits[.digits][e[+-]digits]`); by `String <`
    ///   otherwise.
    public static func sorted<Names: Sequence>(_ names: Names) -> [String] where Names.Element == String {
        let distinct = Array(Set(names))
        let values = distinct.map(NumberParsing.finiteDecimal)
        guard values.allSatisfy({ $0 != nil }) else { return distinct.sorted() }
        return zip(distinct, values.map { $0! }).sorted { ($0.1, $0.0) < ($1.1, $1.0) }.map(\.0)
    }
}
