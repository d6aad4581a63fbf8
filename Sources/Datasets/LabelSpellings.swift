/// The reading of class labels: which label texts name the same class.
///
/// A label is a class name, compared as text, with one exception: when every label of a file
/// is a decimal number, labels are compared as numbers, so `0` and `0.0` are one class, named
/// by its shortest spelling (the first by `String <` among equally short ones). pandas writes
/// integer labels as `0.0` after a column once held a missing value, which would otherwise
/// silently double the classes.
enum LabelSpellings {
    /// The class name of each label text, when every label is a decimal number and some
    /// number is spelled in more than one way; `nil` otherwise (labels are class names as written).
    static func merging(_ labels: Set<String>) -> [String: String]? {
        var byValue: [Double: [String]] = [:]
        for label in labels {
            guard let value = NumberParsing.finiteDecimal(label) else { return nil }
            byValue[value == 0 ? 0 : value, default: []].append(label)
        }
        guard byValue.values.contains(where: { $0.count > 1 }) else { return nil }
        var names: [String: String] = [:]
        for spellings in byValue.values {
            let name = spellings.min { ($0.count, $0) < ($1.count, $1) }!
            for spelling in spellings { names[spelling] = name }
        }
        return names
    }

    /// The note that says which spellings were merged: `labels are numbers: '0.0' is read as
    /// class '0', '1.0' as '1'`.
    static func note(_ names: [String: String]) -> String {
        let merged = names.filter { $0.key != $0.value }.sorted { (Double($0.value)!, $0.key) < (Double($1.value)!, $1.key) }
        let list = merged.map { "'\($0.key)' as '\($0.value)'" }.joined(separator: ", ")
        return "labels are numbers written in more than one way, compared as numbers: read \(list)"
    }

    /// The class among `classNames` that `label` names: itself, or, when both are decimal
    /// numbers, the class with the same value (`1.0` names class `1`); `nil` when none does.
    static func matchingClass(_ label: String, in classNames: [String]) -> String? {
        if classNames.contains(label) { return label }
        guard let value = NumberParsing.finiteDecimal(label) else { return nil }
        return classNames.first { NumberParsing.finiteDecimal($0) == value }
    }
}

extension DataTable {
    /// The labels as a model with classes `classNames` reads them: a label that is not a class
    /// name but a number equal to a numeric class name is that class (`1.0` is class `1`, as
    /// when a data set is read); others as written. `nil` without a label column.
    public func labels(matching classNames: [String]) -> [String]? {
        labels?.map { LabelSpellings.matchingClass($0, in: classNames) ?? $0 }
    }
}
