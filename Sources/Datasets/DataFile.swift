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
    ///   with its line and column, or a whole-file problem (unreadable, not UTF-8, empty, one class).
    public static func read(_ url: URL, name: String? = nil, options: ImportOptions = .init()) throws -> Dataset {
        let file = url.relativePath
        let data: Data
        do {
            data = try Data(contentsOf: url)
        } catch {
            throw DataImportError(file: file, problems: [.init(line: 0, message: "cannot read the file: \(error.localizedDescription)")])
        }
        let name = name ?? url.deletingPathExtension().lastPathComponent
        return try parse(data, file: file, name: name, options: options)
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
        guard let text = String(data: data, encoding: .utf8) else {
            throw DataImportError(file: file, problems: [.init(line: firstInvalidUTF8Line(data), message: "not UTF-8 text (save the file as UTF-8)")])
        }
        return try parse(text, file: file, name: name, options: options)
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
