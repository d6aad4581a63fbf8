import Datasets
import Foundation
import Yams

/// How the data set is split for a sweep: a stratified holdout (train / validation / test), or
/// stratified k-fold cross-validation on the non-test rows. Never both.
public struct EvaluationProtocol: Codable, Hashable, Sendable {
    /// Share of each class held out as test rows (0 ≤ f < 1). Never used to choose anything.
    public var testFraction: Double
    /// Share of each class used for validation (holdout only).
    public var validationFraction: Double?
    /// Number of cross-validation folds (at least 2), instead of a validation fraction.
    public var folds: Int?
    /// Seed of the stratified shuffle; the same for every run of the sweep.
    public var splitSeed: Int

    enum CodingKeys: String, CodingKey {
        case testFraction = "test_fraction", validationFraction = "validation_fraction", folds, splitSeed = "split_seed"
    }

    /// Fold numbers of the runs: `[0]` for a holdout, `1...k` for k folds.
    public var foldNumbers: [Int] { folds.map { Array(1...$0) } ?? [0] }
}

/// A validated grid file: everything `exp sweep` needs before it touches the database.
///
/// The format is documented in `docs/grid.md`. Parsing is strict and reports every problem at
/// once, each with its JSON path and line: duplicate keys, wrong types, empty lists, unknown
/// keys (listing the valid ones), impossible protocols.
public struct GridFile: Sendable {
    /// The seeds used when a grid names none.
    public static let defaultSeeds = [1, 2, 3, 4, 5]

    /// The sweep's name (its identity in `runs.db`).
    public var name: String
    /// The data file, resolved against the grid file's folder.
    public var datasetURL: URL
    /// How to read the data file: the options of `exp data import`, all defaults when the grid's
    /// `dataset` is a plain path.
    public var datasetOptions: ImportOptions
    public var evaluation: EvaluationProtocol
    /// Seeds in the order given, repeats removed.
    public var seeds: [Int]
    /// Every configuration to train: the union of the grid's cross products, each with every
    /// hyperparameter set (defaults filled in), repeats removed, in a stable order.
    public var configurations: [[String: GridValue]]
    /// Remarks that are not errors, e.g. a value listed twice and counted once.
    public var notes: [String]
    /// The file's text exactly as read.
    public var text: String
    public var url: URL

    /// Reads and validates a grid file.
    /// - Throws: ``GridError`` with every problem found; nothing is run or stored.
    public static func load(_ url: URL) throws -> GridFile {
        let text: String
        do {
            text = try String(contentsOf: url, encoding: .utf8)
        } catch {
            throw GridError(file: url.path, problems: [GridError.Problem(path: "", message: "cannot read the file (\(describeReadError(error)))")])
        }
        return try parse(text, url: url)
    }

    /// Validates grid text; `url` names the file in errors and anchors the data set path.
    /// - Throws: ``GridError``.
    public static func parse(_ text: String, url: URL) throws -> GridFile {
        var parser = GridParser(file: url.path)
        let file = parser.parse(text, url: url)
        if !parser.problems.isEmpty || file == nil {
            // In file order (checks run section by section); problems without a line come first.
            let ordered = parser.problems.enumerated().sorted { ($0.element.line ?? 0, $0.offset) < ($1.element.line ?? 0, $1.offset) }
            throw GridError(file: url.path, problems: ordered.map(\.element))
        }
        return file!
    }
}

/// Every problem found in a grid file, each naming the file, the line and the JSON path.
public struct GridError: Error, CustomStringConvertible, Equatable {
    /// One problem: where it is (line and column as Yams marks them, 1-based, when known), the
    /// JSON path of the value (e.g. `grid.momentum[0]`, `""` for the whole file) and what is wrong.
    public struct Problem: Sendable, Equatable, CustomStringConvertible {
        public var line: Int?
        public var column: Int?
        public var path: String
        public var message: String

        public init(line: Int? = nil, column: Int? = nil, path: String, message: String) {
            self.line = line
            self.column = column
            self.path = path
            self.message = message
        }

        /// `line N: path: message`, leaving out the parts that are not known.
        public var description: String {
            (line.map { "line \($0): " } ?? "") + (path.isEmpty ? "" : "\(path): ") + message
        }
    }

    /// The file's path, as given.
    public var file: String
    /// In file order; problems without a line first.
    public var problems: [Problem]

    public init(file: String, problems: [Problem]) {
        self.file = file
        self.problems = problems
    }

    /// One line per problem: `file: line N: path: message`.
    public var description: String { problems.map { "\(file): \($0)" }.joined(separator: "\n") }
}

func describeReadError(_ error: Error) -> String {
    let nsError = error as NSError
    if nsError.domain == NSCocoaErrorDomain, nsError.code == NSFileReadNoSuchFileError { return "no such file" }
    if nsError.domain == NSCocoaErrorDomain, nsError.code == NSFileReadInapplicableStringEncodingError { return "not UTF-8 text" }
    return nsError.localizedDescription
}
