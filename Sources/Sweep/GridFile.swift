import Datasets
import Determinism
import Foundation
import NeuralNet
import Tracker
import Yams

/// How the data set is split for a sweep: a stratified holdout (train / validation / test),
/// stratified k-fold cross-validation on the non-test rows (optionally repeated, and with a
/// refit of the chosen configuration), or nested cross-validation. See docs/sweeps.md,
/// "Protocols".
///
/// Keys left out of a grid are nil and left out of the canonical protocol JSON stored with the
/// sweep and its splits, so a protocol without the newer keys is stored as it always was.
public struct EvaluationProtocol: Codable, Hashable, Sendable {
    /// Share of each class held out as test rows (0 ≤ f < 1). Never used to choose anything.
    /// 0 with `outer_folds`: the outer folds are the test rows.
    public var testFraction: Double
    /// Share of each class used for validation (holdout only). 0 leaves no validation rows: a
    /// holdout of one configuration, with nothing to choose, trains on every non-test row
    /// (``problems(with:)``). With folds or outer folds, the folds are the validation rows and
    /// only 0 is accepted, stored as if left out.
    public var validationFraction: Double?
    /// Number of cross-validation folds (at least 2), instead of a validation fraction.
    public var folds: Int?
    /// Seed of the stratified shuffle; the same for every run of the sweep (repeat 0's).
    public var splitSeed: Int
    /// Repeats of the (outer) k-fold partition, each with its own split seed
    /// (``splitSeed(repeat:)``); nil is one.
    public var repeats: Int?
    /// Outer folds of nested cross-validation (with ``innerFolds``).
    public var outerFolds: Int?
    /// Inner folds of nested cross-validation, on each outer fold's training rows.
    public var innerFolds: Int?
    /// Whether the chosen configuration is retrained on all non-test rows and scored on the test
    /// rows; nil is false, or true with ``outerFolds``.
    public var refit: Bool?
    /// Share of each class of a search run's training rows held out to watch for early stopping,
    /// so that early stopping never watches the rows a run is scored or ranked on; nil: early
    /// stopping watches the validation rows, as before the key existed.
    public var earlyStoppingFraction: Double?

    /// A protocol with these values (checked by ``problems``, not here).
    public init(testFraction: Double, validationFraction: Double?, folds: Int?, splitSeed: Int,
                repeats: Int? = nil, outerFolds: Int? = nil, innerFolds: Int? = nil, refit: Bool? = nil,
                earlyStoppingFraction: Double? = nil) {
        self.testFraction = testFraction
        self.validationFraction = validationFraction
        self.folds = folds
        self.splitSeed = splitSeed
        self.repeats = repeats
        self.outerFolds = outerFolds
        self.innerFolds = innerFolds
        self.refit = refit
        self.earlyStoppingFraction = earlyStoppingFraction
    }

    enum CodingKeys: String, CodingKey {
        case testFraction = "test_fraction", validationFraction = "validation_fraction", folds, splitSeed = "split_seed"
        case repeats, outerFolds = "outer_folds", innerFolds = "inner_folds", refit
        case earlyStoppingFraction = "early_stopping_fraction"
    }

    /// Search splits per configuration and seed: `repeats x outer_folds x inner_folds` (nested),
    /// `repeats x folds` (k-fold) or 1 (holdout); refit splits are not counted.
    public var searchSplitCount: Int {
        let repeatCount = repeats ?? 1
        if let outerFolds, let innerFolds { return repeatCount.saturatingMultiply(outerFolds).saturatingMultiply(innerFolds) }
        if let folds { return repeatCount.saturatingMultiply(folds) }
        return 1
    }

    /// Repeat numbers, `0..<r`.
    public var repeatNumbers: [Int] { Array(0..<(repeats ?? 1)) }

    /// True when the chosen configuration is refitted: with `refit: true`, and always in
    /// nested cross-validation.
    public var refits: Bool { refit ?? (outerFolds != nil) }

    /// The split seed of repeat `r`: the sweep's for repeat 0 (so a sweep without `repeats` is
    /// repeat 0), else the first 13 hexadecimal digits (52 bits) of the SHA-256 of
    /// `"split_seed <s> repeat <r>"`.
    public func splitSeed(repeat r: Int) -> Int {
        r == 0 ? splitSeed : Int(sha256Hex("split_seed \(splitSeed) repeat \(r)").prefix(13), radix: 16)!
    }

    /// What is wrong with the protocol, each with the key it is about (`nil`: the protocol as a
    /// whole); empty when it is usable.
    public var problems: [(key: String?, message: String)] {
        var found: [(key: String?, message: String)] = []
        if !(0..<1).contains(testFraction) { found.append(("test_fraction", "must be at least 0 and below 1")) }
        if let folds, folds < 2 { found.append(("folds", "must be at least 2, found \(folds)")) }
        let givesValidation = validationFraction.map { $0 != 0 } ?? false
        if givesValidation, folds != nil {
            found.append((nil, "give either validation_fraction (holdout) or folds (k-fold cross-validation), not both"))
        }
        if let validation = validationFraction, folds == nil, outerFolds == nil, innerFolds == nil {
            if !(validation >= 0 && validation < 1) {
                found.append(("validation_fraction", "must be at least 0 and below 1"))
            } else if testFraction + validation >= 1 {
                found.append((nil, "test_fraction + validation_fraction must leave training rows (sum below 1)"))
            }
        }
        if splitSeed < 0 { found.append(("split_seed", "must be at least 0, found \(splitSeed)")) }
        if let outerFolds, outerFolds < 2 { found.append(("outer_folds", "must be at least 2, found \(outerFolds)")) }
        if let innerFolds, innerFolds < 2 { found.append(("inner_folds", "must be at least 2, found \(innerFolds)")) }
        if (outerFolds == nil) != (innerFolds == nil) {
            found.append((outerFolds == nil ? "inner_folds" : "outer_folds",
                          "nested cross-validation needs both outer_folds and inner_folds"))
        }
        if outerFolds != nil || innerFolds != nil {
            if folds != nil || givesValidation {
                found.append((nil, "nested cross-validation (outer_folds, inner_folds) takes neither folds nor validation_fraction"))
            }
            if testFraction != 0 {
                found.append(("test_fraction", "must be 0 with outer_folds: the outer folds are the test rows"))
            }
            if refit == false {
                found.append(("refit", "must be true with outer_folds: each outer fold scores its refitted choice"))
            }
        }
        if let repeats {
            if repeats < 1 { found.append(("repeats", "must be at least 1, found \(repeats)")) }
            if folds == nil && outerFolds == nil { found.append(("repeats", "needs folds or outer_folds (a holdout is one split)")) }
        }
        if let fraction = earlyStoppingFraction, !(fraction > 0 && fraction < 1) {
            found.append(("early_stopping_fraction", "must be above 0 and below 1"))
        }
        if refit == true, folds == nil, outerFolds == nil {
            found.append(("refit", "needs folds or outer_folds (a holdout's validation rows choose, and it has no other training rows)"))
        }
        return found
    }

    /// What is wrong with this protocol for `configurations` (each with every hyperparameter
    /// set): a holdout without validation rows (`validation_fraction: 0`) has nothing to rank
    /// configurations on, so it takes exactly one, and nothing for early stopping to watch
    /// unless `early_stopping_fraction` gives it rows of its own. Each problem names its key.
    public func problems<C: Collection>(with configurations: C) -> [(key: String, message: String)] where C.Element == [String: GridValue] {
        guard validationFraction == 0, folds == nil, outerFolds == nil, innerFolds == nil else { return [] }
        var found: [(key: String, message: String)] = []
        if configurations.count > 1 {
            found.append(("validation_fraction", "is 0, which leaves no validation rows to choose among the grid's \(configurations.count) configurations; "
                          + "give a validation fraction above 0, use folds (k-fold cross-validation), or train one configuration"))
        }
        let stopsEarly = configurations.contains { ($0["early_stopping_patience"]?.number ?? 0) > 0 }
        if stopsEarly, earlyStoppingFraction == nil {
            found.append(("validation_fraction", "is 0, which leaves early stopping (early_stopping_patience above 0) no rows to watch; "
                          + "give early_stopping_fraction, or set early_stopping_patience to 0"))
        }
        return found
    }
}

/// A validated grid file: everything `exp sweep` needs before it touches the database.
///
/// The format is documented in `docs/grid.md`. Parsing is strict and reports every problem at
/// once, each with its JSON path and line: duplicate keys, wrong types, empty lists, unknown
/// keys (listing the valid ones), impossible protocols.
public struct GridFile: Sendable {
    /// The seeds used when a grid names none.
    public static let defaultSeeds = [1, 2, 3, 4, 5]
    /// The most search cells (configuration x seed x split) a grid may have unless raised
    /// (`exp sweep --max-cells`): 10,000,000.
    public static let defaultMaxCells = 10_000_000

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
    /// hyperparameter set (defaults filled in, ignored ones at their defaults), repeats
    /// removed, in a stable order; computed when read.
    public var configurations: ConfigurationList
    /// Remarks that are not errors, e.g. a value listed twice and counted once.
    public var notes: [String]
    /// The file's text exactly as read.
    public var text: String
    public var url: URL
    /// The published test accuracy the sweep is compared with (`"benchmark"`), nil when the
    /// grid gives none. It is no part of any configuration and adds no cell: a
    /// resume with another benchmark keeps the sweep and updates it.
    public var benchmark: Benchmark? = nil
    /// The grid's `search` object (``SearchSpec``); nil for a full grid.
    public var search: SearchSpec? = nil
    /// The space its trials are drawn from, when ``search`` draws them; nil for a grid's product.
    public var space: SearchSpace? = nil

    /// Reads and validates a grid file.
    /// - Parameter maxCells: the most search cells allowed; counted from the list lengths
    ///   before any configuration is expanded.
    /// - Throws: ``GridError`` with every problem found (a grid over `maxCells` at path `grid`,
    ///   with its count); nothing is run or stored.
    public static func load(_ url: URL, maxCells: Int = defaultMaxCells) throws -> GridFile {
        let text: String
        do {
            text = try String(contentsOf: url, encoding: .utf8)
        } catch {
            throw GridError(file: url.path, problems: [GridError.Problem(path: "", message: "cannot read the file (\(describeReadError(error)))")])
        }
        return try parse(text, url: url, maxCells: maxCells)
    }

    /// Validates grid text; `url` names the file in errors and anchors the data set path.
    /// - Throws: ``GridError``.
    public static func parse(_ text: String, url: URL, maxCells: Int = defaultMaxCells) throws -> GridFile {
        var parser = GridParser(file: url.path, maxCells: maxCells)
        let file = parser.parse(text, url: url)
        if !parser.problems.isEmpty || file == nil { throw GridError(file: url.path, inFileOrder: parser.problems) }
        return file!
    }
}

extension GridFile {
    /// A grid built from values rather than read from a file (`exp train`), checked as a grid
    /// file's values are: a non-empty name, at least one seed, each at least 0, a usable
    /// protocol, and every configuration's keys and values against the hyperparameter schema
    /// (defaults filled in).
    ///
    /// - Parameters:
    ///   - text: what `runs.db` stores as the sweep's grid (its identity with the name).
    ///   - url: names the source in errors.
    /// - Throws: ``GridError`` with every problem, paths as in a grid file (`grid.momentum`).
    public init(name: String, datasetURL: URL, datasetOptions: ImportOptions = ImportOptions(), evaluation: EvaluationProtocol,
                seeds: [Int], configurations: [[String: GridValue]], text: String, url: URL) throws {
        let schema = HyperparameterSchema.current
        var problems: [GridError.Problem] = []
        if name.trimmingCharacters(in: .whitespaces).isEmpty { problems.append(.init(path: "name", message: "must not be empty")) }
        if seeds.isEmpty { problems.append(.init(path: "seeds", message: "is empty; give at least one seed")) }
        for (i, seed) in seeds.enumerated() where seed < 0 {
            problems.append(.init(path: "seeds[\(i)]", message: "must be at least 0, found \(seed)"))
        }
        for (key, message) in evaluation.problems {
            problems.append(.init(path: key.map { "protocol.\($0)" } ?? "protocol", message: message))
        }
        if evaluation.problems.isEmpty {
            for (key, message) in evaluation.problems(with: configurations.map(schema.normalized)) {
                problems.append(.init(path: "protocol.\(key)", message: message))
            }
        }
        for configuration in configurations {
            for (key, value) in configuration.sorted(by: { $0.key < $1.key }) {
                guard let hyperparameter = schema[key] else {
                    problems.append(.init(path: "grid.\(key)", message: "unknown key \"\(key)\"; valid keys: \(schema.names.joined(separator: ", "))"))
                    continue
                }
                if let message = hyperparameter.problem(with: value) { problems.append(.init(path: "grid.\(key)", message: message)) }
            }
        }
        guard problems.isEmpty else { throw GridError(file: url.path, problems: problems) }
        let objects = configurations.map { configuration in
            GridObject(axes: schema.names.compactMap { name in configuration[name].map { GridObject.Axis(name: name, values: [$0]) } })
        }
        self.init(name: name, datasetURL: datasetURL, datasetOptions: datasetOptions, evaluation: evaluation, seeds: seeds,
                  configurations: ConfigurationList(objects: objects, schema: schema), notes: [], text: text, url: url)
    }

    /// Reads a JSON object of one value per hyperparameter (`{"hidden_layers": [8],
    /// "learning_rate": 0.1}`), checked as a grid's values are; keys left out are not in the result.
    /// - Parameter file: names the file in errors.
    /// - Throws: ``GridError``, each problem's path the key (`momentum`), with its line.
    public static func configuration(fromJSON text: String, file: String) throws -> [String: GridValue] {
        var parser = GridParser(file: file)
        guard let values = parser.parseConfiguration(text) else { throw GridError(file: file, inFileOrder: parser.problems) }
        return values
    }
}

/// Every problem found in a grid file, each naming the file, the line and the JSON path.
public struct GridError: Error, CustomStringConvertible, Equatable {
    /// One problem: where it is (1-based line and column, when known), the
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

        /// `line N, column C: path: message`, leaving out the parts that are not known.
        public var description: String {
            let place = line.map { line in "line \(line)" + (column.map { ", column \($0)" } ?? "") + ": " } ?? ""
            return place + (path.isEmpty ? "" : "\(path): ") + message
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

    /// Problems found section by section, put in file order; problems without a line first.
    init(file: String, inFileOrder problems: [Problem]) {
        let ordered = problems.enumerated().sorted { ($0.element.line ?? 0, $0.offset) < ($1.element.line ?? 0, $1.offset) }
        self.init(file: file, problems: ordered.map(\.element))
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
