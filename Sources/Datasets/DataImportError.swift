/// Everything wrong with a data file, found in one pass, so that all of it can be fixed at once.
///
/// ``description`` is one line: `"<file>: line 2, column 2: missing value '?'; line 3, column 3:
/// missing value (empty field)"`, showing at most 20 problems followed by `"; ... and N more"`.
public struct DataImportError: Error, Equatable, CustomStringConvertible {
    /// One problem at one place in the file.
    public struct Problem: Sendable, Equatable, CustomStringConvertible {
        /// The 1-based physical line (the header or a blank line counts); 0 when the problem
        /// concerns the whole file (unreadable, no rows, a single class, wrong delimiter option).
        public var line: Int
        /// The 1-based field (column) in that line, as in the file, or `nil` for the whole line.
        public var column: Int?
        /// What is wrong, e.g. `missing value 'NA'` or `4 fields, 5 expected`.
        public var message: String

        /// Creates a problem.
        public init(line: Int, column: Int? = nil, message: String) {
            self.line = line
            self.column = column
            self.message = message
        }

        /// `"line L, column C: message"`, `"line L: message"`, or just the message for line 0.
        public var description: String {
            var place = ""
            if line > 0 {
                place = "line \(line)"
                if let column { place += ", column \(column)" }
                place += ": "
            }
            return place + message
        }
    }

    /// The file as the user named it (a path, or the `file` argument of ``DataFile``'s `parse`).
    public var file: String
    /// All problems found, in file order (whole-file problems may come first).
    public var problems: [Problem]

    /// The most problems ``description`` lists before `"... and N more"`.
    public static let shownProblems = 20

    /// Creates an error for `file` with `problems`.
    public init(file: String, problems: [Problem]) {
        self.file = file
        self.problems = problems
    }

    /// One line naming the file and up to 20 problems.
    public var description: String {
        var parts = problems.prefix(Self.shownProblems).map(\.description)
        if problems.count > Self.shownProblems {
            parts.append("... and \(problems.count - Self.shownProblems) more")
        }
        return "\(file): " + parts.joined(separator: "; ")
    }
}
