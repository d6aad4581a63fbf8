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
    /// - Returns: a data set of rows x features as found in the file, classes in ``ClassOrder``.
    /// - Throws: ``DataImportError`` naming the file (as `url.relativePath`) and every problem
    ///   with its line and column, or a whole-file problem (unreadable, not UTF-8, empty, one
    ///   class, ``ImportOptions/LabelColumn/none``).
    public static func read(_ url: URL, name: String? = nil, options: ImportOptions = .init()) throws -> Dataset {
        try readNoted(url, name: name, options: options).dataset
    }

    /// Reads the file at `url` as ``read(_:name:options:)`` does, with notes on what was read
    /// in a way its author may not expect (labels that look like missing-value markers, numeric
    /// labels written in several ways, a class of one row), one line each.
    ///
    /// - Throws: ``DataImportError``, as ``read(_:name:options:)``.
    public static func readNoted(_ url: URL, name: String? = nil, options: ImportOptions = .init()) throws
        -> (dataset: Dataset, notes: [String]) {
        let text = try text(of: url, delimiter: options.delimiter)
        return try TableReader(file: url.relativePath, name: name ?? url.deletingPathExtension().lastPathComponent,
                               options: options).readNoted(text)
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
        try parse(text(of: data, file: file, delimiter: options.delimiter), file: file, name: name, options: options)
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
        let text = try text(of: url, delimiter: options.delimiter)
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
        try columnCount(text(of: url, delimiter: options.delimiter), file: url.relativePath, options: options)
    }

    /// The number of columns in the data rows of `text` (see ``columnCount(_:options:)``).
    public static func columnCount(_ text: String, file: String, options: ImportOptions = .init()) throws -> Int {
        try TableReader(file: file, name: file, options: options).columnCount(text)
    }

    /// The text of the file at `url`, which must be UTF-8; a URL such as `https://...` is
    /// refused by name rather than looked up as a file.
    static func text(of url: URL, delimiter: Character? = nil) throws -> String {
        let file = url.relativePath
        if isRemote(file) {
            throw DataImportError(file: file, problems: [.init(line: 0, message: "URLs are not read; download the file first")])
        }
        let data: Data
        do {
            data = try Data(contentsOf: url)
        } catch {
            throw DataImportError(file: file, problems: [.init(line: 0, message: "cannot read the file: \(error.localizedDescription)")])
        }
        return try text(of: data, file: file, delimiter: delimiter)
    }

    /// Whether a path is a URL with a scheme of two or more letters (`https://`, `s3://`;
    /// a file URL made of it has one `/` left: `https:/host/...`).
    static func isRemote(_ path: String) -> Bool {
        guard let colon = path.firstIndex(of: ":"), path[colon...].hasPrefix(":/") else { return false }
        let scheme = path[..<colon]
        return scheme.count >= 2 && scheme.first!.isLetter
            && scheme.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || "+-.".contains($0)) }
    }

    /// `data` as UTF-8 text. UTF-16 (with a byte order mark, or ASCII text with every other
    /// byte 0) is named as such; other invalid UTF-8 (cp1252, Latin-1) is reported at the line
    /// and column (field, counted with `delimiter`, default `,`) of its first bad byte.
    static func text(of data: Data, file: String, delimiter: Character? = nil) throws -> String {
        if isUTF16(data) {
            throw DataImportError(file: file, problems: [.init(line: 1, message: "UTF-16 text; save the file as UTF-8")])
        }
        guard let text = String(data: data, encoding: .utf8) else {
            let place = firstInvalidUTF8(data, delimiter: delimiter ?? ",")
            throw DataImportError(file: file, problems: [.init(line: place.line, column: place.column,
                                                               message: "not UTF-8 text (save the file as UTF-8)")])
        }
        return text
    }

    /// Whether `data` is UTF-16: it starts with a byte order mark, or, without one, every other
    /// byte is 0 as in ASCII text written as UTF-16 (the odd bytes little-endian, the even ones
    /// big-endian), which UTF-8 text never is.
    static func isUTF16(_ data: Data) -> Bool {
        let bytes = [UInt8](data.prefix(4096))
        if bytes.starts(with: [0xFF, 0xFE]) || bytes.starts(with: [0xFE, 0xFF]) { return true }
        guard bytes.count >= 4 else { return false }
        let pairs = bytes.count / 2
        let zeroOdd = stride(from: 1, to: pairs * 2, by: 2).filter { bytes[$0] == 0 }.count
        let zeroEven = stride(from: 0, to: pairs * 2, by: 2).filter { bytes[$0] == 0 }.count
        return (zeroOdd * 10 >= pairs * 9 && zeroEven == 0) || (zeroEven * 10 >= pairs * 9 && zeroOdd == 0)
    }

    /// The 1-based line and field of the first byte sequence that is not UTF-8.
    static func firstInvalidUTF8(_ data: Data, delimiter: Character) -> (line: Int, column: Int) {
        let separator = delimiter.unicodeScalars.first!
        var line = 1, column = 1
        var iterator = data.makeIterator()
        var decoder = UTF8()
        while true {
            switch decoder.decode(&iterator) {
            case .scalarValue(let scalar):
                if scalar == "\n" { line += 1; column = 1 }
                if scalar == separator { column += 1 }
            case .emptyInput, .error:
                return (line, column)
            }
        }
    }
}
