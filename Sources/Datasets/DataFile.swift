import Foundation

/// Reads tabular classification data from delimited text files (CSV and UCI `.data` files).
///
/// Rows are records of numeric features and one class label (see ``ImportOptions``). Parsing
/// follows a careful reading of real files: a UTF-8 byte order mark is dropped; CRLF, LF and
/// CR-only line ends are accepted; blank and whitespace-only lines are skipped; spaces and tabs
/// around fields are trimmed; a header row is detected; an R or pandas row-number column is
/// dropped; a scikit-learn metadata first line (`N,F,class names...`) maps integer labels to
/// names. Every problem in the file is collected and thrown together as a ``DataImportError``.
/// See `docs/data.md`.
public enum DataFile {
    /// Reads the file at `url`.
    ///
    /// - Parameters:
    ///   - url: a file URL.
    ///   - name: the data set name; default: the file name without its extension.
    ///   - options: how to read the file.
    /// - Returns: a data set of rows x features as found in the file, classes sorted.
    /// - Throws: ``DataImportError`` naming the file (as `url.relativePath`) and every problem
    ///   with its line and column, or a whole-file problem (unreadable, not UTF-8, empty, one
    ///   class, ``ImportOptions/LabelColumn/none``).
    public static func read(_ url: URL, name: String? = nil, options: ImportOptions = .init()) throws -> Dataset {
        let text = try text(of: url)
        return try parse(text, file: url.relativePath, name: name ?? url.deletingPathExtension().lastPathComponent,
                         options: options)
    }

    /// Parses the bytes of a file, which must be UTF-8 (ASCII is).
    ///
    /// - Parameters:
    ///   - data: the file's bytes.
    ///   - file: how to name the file in errors.
    ///   - name: the data set name.
    ///   - options: how to read the file.
    /// - Returns: a data set of rows x features.
    /// - Throws: ``DataImportError``; invalid UTF-8 is reported on the line where it occurs.
    public static func parse(_ data: Data, file: String, name: String, options: ImportOptions = .init()) throws -> Dataset {
        try parse(text(of: data, file: file), file: file, name: name, options: options)
    }

    /// Parses the text of a file.
    ///
    /// - Parameters:
    ///   - text: the whole file.
    ///   - file: how to name the file in errors.
    ///   - name: the data set name.
    ///   - options: how to read the file.
    /// - Returns: a data set of rows x features.
    /// - Throws: ``DataImportError`` listing every problem with its line and column.
    public static func parse(_ text: String, file: String, name: String, options: ImportOptions = .init()) throws -> Dataset {
        try TableReader(file: file, name: name, options: options).read(text)
    }

    /// Reads the rows of the file at `url` to score them with a trained model: the same rules as
    /// ``read(_:name:options:)``, but the labels are kept as written instead of made into classes,
    /// so one row or a single class is fine, and with ``ImportOptions/LabelColumn/none`` the file
    /// has no label column (every column is a feature).
    ///
    /// - Parameters:
    ///   - url: a file URL.
    ///   - name: the table's name; default: the file name without its extension.
    ///   - options: how to read the file.
    /// - Returns: the rows, at least one.
    /// - Throws: ``DataImportError`` as ``read(_:name:options:)`` does, without the class checks.
    public static func readTable(_ url: URL, name: String? = nil, options: ImportOptions = .init()) throws -> DataTable {
        let text = try text(of: url)
        return try parseTable(text, file: url.relativePath, name: name ?? url.deletingPathExtension().lastPathComponent,
                              options: options)
    }

    /// Parses the text of a file into rows to score (see ``readTable(_:name:options:)``).
    ///
    /// - Parameters:
    ///   - text: the whole file.
    ///   - file: how to name the file in errors.
    ///   - name: the table's name.
    ///   - options: how to read the file.
    /// - Returns: the rows, at least one.
    /// - Throws: ``DataImportError`` listing every problem with its line and column.
    public static func parseTable(_ text: String, file: String, name: String, options: ImportOptions = .init()) throws -> DataTable {
        try TableReader(file: file, name: name, options: options).readTable(text)
    }

    /// The number of columns in the data rows of the file at `url`, as ``read(_:name:options:)``
    /// and ``readTable(_:name:options:)`` lay them out with `options` (the header, a
    /// scikit-learn metadata line and a row-number column are recognised; a row-number column is
    /// not counted), without reading the values. A caller that knows how many features it
    /// needs can tell from it whether the file has a label column.
    ///
    /// - Throws: ``DataImportError`` when the file cannot be read or laid out (empty, wrong
    ///   delimiter, a label column that is not there).
    public static func columnCount(_ url: URL, options: ImportOptions = .init()) throws -> Int {
        try columnCount(text(of: url), file: url.relativePath, options: options)
    }

    /// The number of columns in the data rows of `text` (see ``columnCount(_:options:)``).
    public static func columnCount(_ text: String, file: String, options: ImportOptions = .init()) throws -> Int {
        try TableReader(file: file, name: file, options: options).columnCount(text)
    }

    /// The text of the file at `url`, which must be UTF-8.
    static func text(of url: URL) throws -> String {
        let file = url.relativePath
        let data: Data
        do {
            data = try Data(contentsOf: url)
        } catch {
            throw DataImportError(file: file, problems: [.init(line: 0, message: "cannot read the file: \(error.localizedDescription)")])
        }
        return try text(of: data, file: file)
    }

    /// `data` as UTF-8 text; invalid UTF-8 is reported on the line where it occurs.
    static func text(of data: Data, file: String) throws -> String {
        guard let text = String(data: data, encoding: .utf8) else {
            throw DataImportError(file: file, problems: [.init(line: firstInvalidUTF8Line(data), message: "not UTF-8 text (save the file as UTF-8)")])
        }
        return text
    }

    /// The 1-based line of the first byte sequence that is not UTF-8.
    static func firstInvalidUTF8Line(_ data: Data) -> Int {
        var line = 1
        var iterator = data.makeIterator()
        var decoder = UTF8()
        while true {
            switch decoder.decode(&iterator) {
            case .scalarValue(let scalar):
                if scalar == "\n" { line += 1 }
            case .emptyInput:
                return line
            case .error:
                return line
            }
        }
    }
}
