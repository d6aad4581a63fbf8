import Foundation

/// The reading of one feature field.
enum FieldValue: Equatable {
    case number(Double)
    case problem(String)
}

/// Reads feature fields as decimal numbers, refusing what is not a plain finite decimal.
enum NumberParsing {
    /// Tokens that mean "no value" in common exports (compared case-insensitively).
    static let missingTokens: Set<String> = ["?", "na", "n/a", "null", "none", "missing", "-"]

    /// Spellings that `Double(_:)` accepts but that are not finite numbers.
    private static let nonFiniteWords: Set<String> = ["nan", "inf", "infinity", "snan"]

    /// Whether `field` (already trimmed) is a missing-value marker.
    static func isMissing(_ field: String) -> Bool {
        field.isEmpty || missingTokens.contains(field.lowercased())
    }

    /// Describes a missing field: `missing value (empty field)` or `missing value 'NA'`.
    static func missingMessage(_ field: String, what: String = "value") -> String {
        field.isEmpty ? "missing \(what) (empty field)" : "missing \(what) '\(field)'"
    }

    /// Parses a trimmed field. With `decimalComma`, `,` is the decimal separator and `.` is refused.
    static func parse(_ field: String, decimalComma: Bool) -> FieldValue {
        if isMissing(field) { return .problem(missingMessage(field)) }
        var text = field
        if decimalComma {
            if text.contains(".") {
                return .problem("'\(field)' is not a number (with a decimal comma, '.' is not allowed)")
            }
            if text.filter({ $0 == "," }).count > 1 {
                return .problem("'\(field)' is not a number")
            }
            text = text.replacingOccurrences(of: ",", with: ".")
        }
        var unsigned = Substring(text.lowercased())
        if unsigned.first == "+" || unsigned.first == "-" { unsigned = unsigned.dropFirst() }
        if nonFiniteWords.contains(String(unsigned)) {
            return .problem("'\(field)' is not a finite number")
        }
        guard isDecimal(text) else { return .problem("'\(field)' is not a number") }
        guard let value = Double(text), value.isFinite else {
            return .problem("'\(field)' is not a finite number")
        }
        return .number(value)
    }

    /// Whether a field that is not a number could be a column name in a header: empty (R's
    /// unnamed row-name column) or text that neither starts like a number (`3.2cm`, `1.5` in
    /// decimal-comma mode) nor is a missing-value marker or a non-finite number word.
    static func couldBeColumnName(_ field: String) -> Bool {
        if field.isEmpty { return true }
        if missingTokens.contains(field.lowercased()) { return false }
        var unsigned = Substring(field.lowercased())
        if unsigned.first == "+" || unsigned.first == "-" { unsigned = unsigned.dropFirst() }
        if nonFiniteWords.contains(String(unsigned)) { return false }
        if unsigned.first == "." { unsigned = unsigned.dropFirst() }
        if let first = unsigned.unicodeScalars.first, first.value >= 48 && first.value <= 57 { return false }
        return true
    }

    /// The value of `text` when it is a decimal number (``isDecimal(_:)``) and finite; nil otherwise.
    /// How labels are compared as numbers.
    static func finiteDecimal(_ text: String) -> Double? {
        guard isDecimal(text), let value = Double(text), value.isFinite else { return nil }
        return value
    }

    /// Whether `text` is `[+-]digits[.digits][e[+-]digits]` (also `.5` and `5.`), ASCII only.
    static func isDecimal(_ text: String) -> Bool {
        var scalars = Substring(text).unicodeScalars[...]
        func digits() -> Int {
            var count = 0
            while let s = scalars.first, s.value >= 48 && s.value <= 57 { scalars.removeFirst(); count += 1 }
            return count
        }
        if scalars.first == "+" || scalars.first == "-" { scalars.removeFirst() }
        var mantissa = digits()
        if scalars.first == "." {
            scalars.removeFirst()
            mantissa += digits()
        }
        guard mantissa > 0 else { return false }
        if scalars.first == "e" || scalars.first == "E" {
            scalars.removeFirst()
            if scalars.first == "+" || scalars.first == "-" { scalars.removeFirst() }
            guard digits() > 0 else { return false }
        }
        return scalars.isEmpty
    }
}
