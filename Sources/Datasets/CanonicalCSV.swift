import Foundation

extension Dataset {
    /// The data set as one canonical CSV text, the input of ``contentHash``.
    ///
    /// A header line (the feature names, then `class`) and one line per row: the features in
    /// Swift's shortest round-trip form (`5.0`, `0.1`, `1e-07`), then the class name. Lines
    /// end with `\n`, including the last. Names are written by ``csvField(_:)``.
    public var canonicalCSV: String {
        var text = (featureNames.map(csvField) + ["class"]).joined(separator: ",") + "\n"
        let quotedClassNames = classNames.map(csvField)
        let width = featureCount
        for row in 0..<rowCount {
            for column in 0..<width {
                text += "\(features[row * width + column]),"
            }
            text += quotedClassNames[labels[row]] + "\n"
        }
        return text
    }

    /// Reads ``canonicalCSV`` back: `fromCanonicalCSV(name: d.name, text: d.canonicalCSV) == d`
    /// for every data set `d` in which each class has at least one row (true of every data set
    /// that ``DataFile`` reads).
    ///
    /// Nothing is guessed: `,`-separated, a header, the label last, fields verbatim.
    /// - Parameters:
    ///   - name: the data set name (not part of the text).
    ///   - text: a canonical CSV text.
    ///   - classNames: the class order, a stored data set's `class_names` (which need not be
    ///     ``ClassOrder``: older versions stored numeric names sorted as text); `nil`: the
    ///     distinct labels in ``ClassOrder``.
    /// - Returns: the data set, rows x features as in `text`.
    /// - Throws: ``DataImportError`` (with `file` = `name`) when `text` is not canonical CSV or
    ///   its labels are not exactly `classNames`.
    public static func fromCanonicalCSV(name: String, text: String, classNames: [String]? = nil) throws -> Dataset {
        let dataset = try TableReader(file: name, name: name, options: ImportOptions(header: .yes), strict: true).read(text)
        guard let classNames else { return dataset }
        guard let ordered = dataset.withClassOrder(classNames) else {
            throw DataImportError(file: name, problems: [.init(line: 0, message:
                "the stored class names \(classNames) are not the classes of the content \(dataset.classNames)")])
        }
        return ordered
    }
}

/// `field` as one comma-separated CSV field: quoted (RFC 4180, `"` doubled) when it contains
/// `,`, `"`, CR or LF, starts or ends with a space or tab, or is empty, so that a reader that
/// trims spaces or skips empty fields still reads it back exactly; verbatim otherwise.
///
/// The one CSV writer of the project: ``Dataset/canonicalCSV`` (and so every content hash) and
/// `exp predict`'s output use it. CSV.swift's `CSVWriter` is not used because it quotes neither
/// empty fields nor fields with surrounding spaces, which would change the canonical text.
public func csvField(_ field: String) -> String {
    let needsQuotes = field.isEmpty
        || field.unicodeScalars.contains { $0 == "," || $0 == "\"" || $0 == "\r" || $0 == "\n" }
        || field.unicodeScalars.first.map { $0 == " " || $0 == "\t" } == true
        || field.unicodeScalars.last.map { $0 == " " || $0 == "\t" } == true
    guard needsQuotes else { return field }
    return "\"" + field.replacingOccurrences(of: "\"", with: "\"\"") + "\""
}

/// `text` as a CSV text cell that a spreadsheet shows as text and never runs as a formula: a
/// cell starting with `=`, `+`, `-`, `@`, a tab or a carriage return gets a leading `'` (OWASP's
/// advice against CSV injection), then ``csvField(_:)`` quotes it as it needs. Only for text
/// cells of reports and exports: numbers are written as numbers, and canonical CSV (content
/// hashes) never goes through it.
public func formulaSafeCSVField(_ text: String) -> String {
    let risky = text.unicodeScalars.first.map { "=+-@\t\r".unicodeScalars.contains($0) } == true
    return csvField(risky ? "'" + text : text)
}
