import Datasets
import Foundation
import NeuralNet
import Tracker
import Yams

/// Reads a grid file's JSON into a ``GridFile``, collecting problems instead of stopping at the
/// first. JSON is read twice: by ``StrictJSONScanner``, which decides whether the text is JSON
/// at all (with the line and column of a syntax error) and finds repeated keys, and by Yams
/// (JSON is YAML 1.2), whose node tree keeps the quoting that tells `"0.1"` from `0.1`, and
/// line numbers — both of which Foundation's decoders drop.
struct GridParser {
    let file: String
    let schema: HyperparameterSchema
    /// The most search cells a grid may have (see ``GridFile/defaultMaxCells``).
    let maxCells: Int
    var problems: [GridError.Problem] = []
    var notes: [String] = []
    /// The protocol object's entries, to place problems found once the grid is read.
    private var protocolEntries: [String: Node] = [:]
    /// The grid's `search`, once read: it decides what the `grid` may hold.
    var search: SearchSpec?
    /// The space a random search draws from, once read.
    var space: SearchSpace?
    /// True when the grid's `search` has problems (already reported): its distributions are
    /// then not refused again.
    var searchFailed = false

    init(file: String, schema: HyperparameterSchema = .current, maxCells: Int = GridFile.defaultMaxCells) {
        self.file = file
        self.schema = schema
        self.maxCells = maxCells
    }

    static let topKeys = ["name", "dataset", "protocol", "seeds", "search", "grid", "benchmark"]
    /// Keys a halving method's rungs decide, refused in its `grid`.
    static let rungKeys = ["epochs", "early_stopping_patience"]
    static let benchmarkKeys = ["test_accuracy", "source"]
    static let protocolKeys = ["test_fraction", "validation_fraction", "folds", "split_seed", "repeats", "outer_folds", "inner_folds", "refit",
                               "early_stopping_fraction"]
    static let datasetKeys = ["path", "label_column", "header", "delimiter", "decimal_comma"]

    /// Records a problem at `node`'s line and column.
    mutating func problem(_ node: Node?, _ path: String, _ message: String) {
        problems.append(GridError.Problem(line: node?.mark?.line, column: node?.mark?.column, path: path, message: message))
    }

    /// Records a problem at `mark`'s line and column.
    mutating func problem(at mark: Mark?, _ path: String, _ message: String) {
        problems.append(GridError.Problem(line: mark?.line, column: mark?.column, path: path, message: message))
    }

    /// The JSON text's node tree, or `nil` with a problem when it is not JSON.
    ///
    /// ``StrictJSONScanner`` decides whether the text is JSON (refusing trailing commas, giving
    /// the line and column of a syntax error) and finds repeated keys; the members with a
    /// repeated key are then blanked out, so Yams composes the rest and every other problem is
    /// reported with the repeated keys, all at once.
    mutating func compose(_ text: String) -> Node? {
        let scan = StrictJSONScanner.scan(text)
        if let error = scan.syntaxError {
            problems.append(GridError.Problem(line: error.line, column: error.column, path: "", message: "not valid JSON: \(error.message)"))
            return nil
        }
        for duplicate in scan.duplicates {
            problems.append(GridError.Problem(line: duplicate.line, column: duplicate.column, path: duplicate.path,
                                              message: "duplicate key \"\(duplicate.key)\" (JSON decoders silently keep only one)"))
        }
        do {
            guard let node = try Yams.compose(yaml: StrictJSONScanner.blankingDuplicates(text, scan.duplicates)) else {
                problem(at: nil, "", "not valid JSON: the file is empty")
                return nil
            }
            return node
        } catch {
            problem(at: nil, "", "not valid JSON: \(error)")
            return nil
        }
    }

    mutating func parse(_ text: String, url: URL) -> GridFile? {
        guard let root = compose(text) else { return nil }
        guard let top = mapping(root, "") else { return nil }

        let name = top["name"].flatMap { string($0, "name") }
        if top["name"] == nil { problem(root, "", "missing key \"name\" (the sweep's name)") }
        if let name, name.trimmingCharacters(in: .whitespaces).isEmpty { problem(top["name"], "name", "must not be empty") }
        let dataset = top["dataset"].flatMap { parseDataset($0) }
        if top["dataset"] == nil { problem(root, "", "missing key \"dataset\" (the data file, relative to the grid file)") }
        let evaluation = parseProtocol(top["protocol"])
        let seeds = parseSeeds(top["seeds"])
        search = top["search"].flatMap { parseSearch($0) }
        searchFailed = top["search"] != nil && search == nil
        var configurations = ConfigurationList(objects: [], schema: schema)
        if let grid = top["grid"] {
            // Counted as 1 while the seeds or the protocol have problems, so a grid too large on
            // its own is still refused before it is expanded.
            configurations = parseGrid(grid, seedCount: seeds?.count ?? 1, splitCount: evaluation?.searchSplitCount ?? 1)
            if let top = search?.rungBudgets.last {
                // A halving search's configurations train to its top rung: stored so, a run that
                // reached it is retrained by `exp train` with its configuration alone.
                configurations.fixed = ["epochs": .integer(top)]
            }
        } else {
            problem(root, "", "missing key \"grid\" (an object of hyperparameter lists, or a list of such objects)")
        }
        if problems.isEmpty, let evaluation {
            for (key, message) in evaluation.problems(with: configurations) {
                problem(protocolEntries[key] ?? top["protocol"] ?? root, "protocol.\(key)", message)
            }
        }
        let benchmark = top["benchmark"].flatMap { parseBenchmark($0) }
        guard problems.isEmpty, !searchFailed, let name, let dataset, let evaluation, let seeds else { return nil }
        let datasetURL = URL(fileURLWithPath: dataset.path, relativeTo: url.deletingLastPathComponent()).standardizedFileURL
        return GridFile(name: name, datasetURL: datasetURL, datasetOptions: dataset.options, evaluation: evaluation, seeds: seeds,
                        configurations: configurations, notes: notes, text: text, url: url, benchmark: benchmark, search: search,
                        space: space)
    }

    /// A JSON object of one value per hyperparameter (`exp train --config`), each problem's
    /// path its key.
    mutating func parseConfiguration(_ text: String) -> [String: GridValue]? {
        guard let root = compose(text), let entries = mapping(root, "", allowed: schema.names) else { return nil }
        var values: [String: GridValue] = [:]
        for hyperparameter in schema.hyperparameters {
            guard let node = entries[hyperparameter.name] else { continue }
            values[hyperparameter.name] = parseChoice(node, hyperparameter.name, hyperparameter, listPath: hyperparameter.name)
        }
        return problems.isEmpty ? values : nil
    }

    // MARK: - Nodes

    /// A mapping's entries by key, reporting unknown keys (duplicates never get here: they are
    /// reported and blanked out while composing, see ``compose(_:)``).
    mutating func mapping(_ node: Node, _ path: String, allowed: [String]? = nil) -> [String: Node]? {
        guard case .mapping(let mapping) = node else {
            problem(node, path, "expected an object, found \(describe(node))")
            return nil
        }
        var entries: [String: Node] = [:]
        for (keyNode, value) in mapping {
            let key = keyNode.scalar?.string ?? ""
            let keyPath = path.isEmpty ? key : "\(path).\(key)"
            if let allowed = allowed ?? (path.isEmpty ? Self.topKeys : nil), !allowed.contains(key) {
                problem(keyNode, keyPath, "unknown key \"\(key)\"; valid keys: \(allowed.joined(separator: ", "))")
                continue
            }
            entries[key] = value
        }
        return entries
    }

    enum Scalar { case integer(Int), number(Double), text(String), other(String) }

    func scalar(_ node: Node) -> Scalar? {
        guard case .scalar(let s) = node else { return nil }
        if s.style == .singleQuoted || s.style == .doubleQuoted { return .text(s.string) }
        let raw = s.string
        if raw.range(of: #"^-?(0|[1-9][0-9]*)$"#, options: .regularExpression) != nil, let v = Int(raw) { return .integer(v) }
        if let v = Double(raw), v.isFinite { return .number(v) }
        return .other(raw)
    }

    func describe(_ node: Node) -> String {
        switch node {
        case .mapping: return "an object"
        case .sequence: return "a list"
        case .alias: return "an alias"
        case .scalar:
            switch scalar(node)! {
            case .integer(let v): return "the integer \(v)"
            case .number(let v): return "the number \(v)"
            case .text(let v): return "the string \"\(v)\""
            case .other(let v): return v
            }
        }
    }

    mutating func string(_ node: Node, _ path: String) -> String? {
        if case .text(let v)? = scalar(node) { return v }
        problem(node, path, "expected a string, found \(describe(node))")
        return nil
    }

    mutating func integer(_ node: Node, _ path: String, minimum: Int? = nil) -> Int? {
        guard case .integer(let v)? = scalar(node) else {
            problem(node, path, "expected an integer, found \(describe(node))")
            return nil
        }
        if let minimum, v < minimum {
            problem(node, path, "must be at least \(minimum), found \(v)")
            return nil
        }
        return v
    }

    mutating func number(_ node: Node, _ path: String) -> Double? {
        switch scalar(node) {
        case .integer(let v)?: return Double(v)
        case .number(let v)?: return v
        default:
            problem(node, path, "expected a number, found \(describe(node))")
            return nil
        }
    }

    mutating func boolean(_ node: Node, _ path: String) -> Bool? {
        if case .other(let v)? = scalar(node) {
            if v == "true" { return true }
            if v == "false" { return false }
        }
        problem(node, path, "expected true or false, found \(describe(node))")
        return nil
    }

    mutating func list(_ node: Node, _ path: String, what: String) -> [Node]? {
        guard case .sequence(let sequence) = node else {
            problem(node, path, "must be a list of \(what), found \(describe(node))")
            return nil
        }
        return Array(sequence)
    }

    // MARK: - Sections

    /// `"dataset"`: a path, or an object with a `path` and the options of `exp data import`.
    mutating func parseDataset(_ node: Node) -> (path: String, options: ImportOptions)? {
        switch node {
        case .scalar:
            guard let path = string(node, "dataset") else { return nil }
            if path.isEmpty { problem(node, "dataset", "must not be empty"); return nil }
            return (path, ImportOptions())
        case .mapping:
            break
        default:
            problem(node, "dataset", "expected a file path (string) or an object with \"path\" and import options, found \(describe(node))")
            return nil
        }
        guard let entries = mapping(node, "dataset", allowed: Self.datasetKeys) else { return nil }
        let before = problems.count
        var options = ImportOptions()
        let path = entries["path"].flatMap { string($0, "dataset.path") }
        if entries["path"] == nil { problem(node, "dataset", "missing key \"path\" (the data file, relative to the grid file)") }
        if let path, path.isEmpty { problem(entries["path"], "dataset.path", "must not be empty") }
        if let column = entries["label_column"] {
            switch scalar(column) {
            case .integer(let index)? where index >= 0: options.labelColumn = .index(index)
            case .integer(let index)?: problem(column, "dataset.label_column", "a column index must be at least 0 (0 is the first column), found \(index)")
            case .text(let name)? where !name.isEmpty: options.labelColumn = .name(name)
            case .text?: problem(column, "dataset.label_column", "must not be empty")
            default:
                problem(column, "dataset.label_column", "expected a column name (string) or a 0-based column index (integer), found \(describe(column))")
            }
        }
        if let header = entries["header"], let value = string(header, "dataset.header") {
            if let mode = ImportOptions.Header(rawValue: value) { options.header = mode } else {
                problem(header, "dataset.header", "unknown value \"\(value)\"; valid values: auto, yes, no")
            }
        }
        if let delimiter = entries["delimiter"], let value = string(delimiter, "dataset.delimiter") {
            if value.count == 1, value.unicodeScalars.count == 1, !["\"", "\r", "\n"].contains(value.unicodeScalars.first!) {
                options.delimiter = value.first!
            } else {
                problem(delimiter, "dataset.delimiter", "must be one character other than '\"' or a line end (a tab is \"\\t\"), found \(describe(delimiter))")
            }
        }
        if let decimalComma = entries["decimal_comma"], let value = boolean(decimalComma, "dataset.decimal_comma") {
            options.decimalComma = value
            if value, (options.delimiter ?? ",") == "," {
                problem(decimalComma, "dataset.decimal_comma", "needs a delimiter other than \",\" (for example \"delimiter\": \";\")")
            }
        }
        guard problems.count == before, let path else { return nil }
        return (path, options)
    }

    /// `"benchmark"`: `{"test_accuracy": 0.961, "source": "..."}`, a published test accuracy on
    /// the data set (a fraction in [0, 1]) and where it comes from (not empty).
    mutating func parseBenchmark(_ node: Node) -> Benchmark? {
        guard let entries = mapping(node, "benchmark", allowed: Self.benchmarkKeys) else { return nil }
        let before = problems.count
        let accuracy = entries["test_accuracy"].flatMap { number($0, "benchmark.test_accuracy") }
        if entries["test_accuracy"] == nil { problem(node, "benchmark", "missing key \"test_accuracy\" (a fraction in [0, 1], e.g. 0.961)") }
        if let accuracy, !(0...1).contains(accuracy) {
            problem(entries["test_accuracy"], "benchmark.test_accuracy", "must be a fraction in [0, 1] (0.961 for 96.1%), found \(accuracy)")
        }
        let source = entries["source"].flatMap { string($0, "benchmark.source") }
        if entries["source"] == nil { problem(node, "benchmark", "missing key \"source\" (where the figure comes from)") }
        if let source, source.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty {
            problem(entries["source"], "benchmark.source", "must not be empty: say where the figure comes from")
        }
        guard problems.count == before, let accuracy, let source else { return nil }
        return Benchmark(testAccuracy: accuracy, source: source)
    }

    mutating func parseProtocol(_ node: Node?) -> EvaluationProtocol? {
        guard let node else {
            return EvaluationProtocol(testFraction: 0.2, validationFraction: 0.2, folds: nil, splitSeed: 0)
        }
        guard let entries = mapping(node, "protocol", allowed: Self.protocolKeys) else { return nil }
        protocolEntries = entries
        let before = problems.count
        let givenTest = entries["test_fraction"].flatMap { number($0, "protocol.test_fraction") }
        let validation = entries["validation_fraction"].flatMap { number($0, "protocol.validation_fraction") }
        let folds = entries["folds"].flatMap { integer($0, "protocol.folds") }
        let splitSeed = entries["split_seed"].flatMap { integer($0, "protocol.split_seed") } ?? 0
        let repeats = entries["repeats"].flatMap { integer($0, "protocol.repeats") }
        let outerFolds = entries["outer_folds"].flatMap { integer($0, "protocol.outer_folds") }
        let innerFolds = entries["inner_folds"].flatMap { integer($0, "protocol.inner_folds") }
        let refit = entries["refit"].flatMap { boolean($0, "protocol.refit") }
        let earlyStopping = entries["early_stopping_fraction"].flatMap { number($0, "protocol.early_stopping_fraction") }
        guard problems.count == before else { return nil }
        // Nested cross-validation's test rows are its outer folds: no holdout unless asked for.
        let test = givenTest ?? (outerFolds == nil && innerFolds == nil ? 0.2 : 0)
        let given = EvaluationProtocol(testFraction: test, validationFraction: validation, folds: folds, splitSeed: splitSeed,
                                       repeats: repeats, outerFolds: outerFolds, innerFolds: innerFolds, refit: refit,
                                       earlyStoppingFraction: earlyStopping)
        for (key, message) in given.problems {
            problem(key.flatMap { entries[$0] } ?? node, key.map { "protocol.\($0)" } ?? "protocol", message)
        }
        guard problems.count == before else { return nil }
        var evaluation = given
        if folds == nil && outerFolds == nil {
            evaluation.validationFraction = validation ?? 0.2
        } else {
            evaluation.validationFraction = nil  // only 0 gets here: the folds are the validation rows
        }
        return evaluation
    }

    mutating func parseSeeds(_ node: Node?) -> [Int]? {
        guard let node else {
            notes.append("no \"seeds\" given: using the default seeds \(GridFile.defaultSeeds.map(String.init).joined(separator: ", "))")
            return GridFile.defaultSeeds
        }
        guard let items = list(node, "seeds", what: "integers") else { return nil }
        if items.isEmpty { problem(node, "seeds", "is empty; list at least one seed, or leave \"seeds\" out for the defaults") }
        var seeds: [Int] = []
        var ok = true
        for (i, item) in items.enumerated() {
            guard let seed = integer(item, "seeds[\(i)]", minimum: 0) else { ok = false; continue }
            if seeds.contains(seed) { notes.append("seeds: \(seed) is listed more than once; counted once") } else { seeds.append(seed) }
        }
        return ok && !items.isEmpty ? seeds : nil
    }

    /// Every configuration of the grid, or none (with a problem) when the grid would have more
    /// than ``maxCells`` search cells: the cells are counted from the list lengths before
    /// anything is expanded, so a grid of billions of cells is refused at once. Configurations
    /// are computed when read (``ConfigurationList``); cells that differ only in
    /// hyperparameters they do not use are noted, kept once.
    mutating func parseGrid(_ node: Node, seedCount: Int, splitCount: Int) -> ConfigurationList {
        let objects: [(Node, String)]
        if case .sequence(let sequence) = node {
            if sequence.isEmpty { problem(node, "grid", "is an empty list; give at least one object of hyperparameter lists") }
            objects = sequence.enumerated().map { ($1, "grid[\($0)]") }
        } else {
            objects = [(node, "grid")]
        }
        var parsed: [SearchSpace.Object] = []
        for (object, path) in objects {
            if let axes = parseAxes(object, path) { parsed.append(SearchSpace.Object(axes: axes)) }
        }
        if let search, let trials = search.trials, let seed = search.seed {
            return drawConfigurations(node, SearchSpace(objects: parsed), trials: trials, seed: seed, seedCount: seedCount,
                                      splitCount: splitCount)
        }
        // Without drawn trials every axis is a list (a distribution was refused in parseAxes).
        let gridObjects = parsed.map { object in
            GridObject(axes: object.axes.compactMap { axis in axis.domain.choices.map { GridObject.Axis(name: axis.name, values: $0) } })
        }
        let configurationCount = gridObjects.reduce(0) { $0.saturatingAdd($1.count) }
        guard withinCellLimit(node, configurations: configurationCount, seedCount: seedCount, splitCount: splitCount, what: "up to"),
              problems.isEmpty else { return ConfigurationList(objects: [], schema: schema) }
        let list = ConfigurationList(objects: gridObjects, schema: schema)
        if list.collapsed > 0 {
            let keys = list.collapsedKeys.map { "\($0) \(schema[$0]!.appliesWhen.description)" }.joined(separator: "; ")
            notes.append("\(list.collapsed * seedCount * splitCount) cells differ only in ignored hyperparameters (\(keys)): "
                         + "trained once, the ignored value stored at its default")
        }
        return list
    }

    /// False, with a problem at `node`, when `configurations` x seeds x splits is over ``maxCells``.
    mutating func withinCellLimit(_ node: Node, configurations: Int, seedCount: Int, splitCount: Int, what: String) -> Bool {
        let cells = configurations.saturatingMultiply(seedCount).saturatingMultiply(splitCount)
        guard cells > maxCells else { return true }
        let count = cells == Int.max ? "more than \(Int.max)" : "\(cells)"
        let splits = splitCount > 1 ? " x \(splitCount) splits" : ""
        problem(node, "grid", "has \(count) cells (\(what) \(configurations) configurations x \(seedCount) seeds\(splits)), "
                + "over the limit of \(maxCells); split the grid, or raise the limit with --max-cells")
        return false
    }

    /// A random search's configurations: `trials` draws from `space` (``SearchSpace``), each
    /// configuration kept once, with a note when trials repeat one or when a space of lists
    /// only has no more configurations than trials (each is then trained once).
    mutating func drawConfigurations(_ node: Node, _ space: SearchSpace, trials: Int, seed: Int, seedCount: Int,
                                     splitCount: Int) -> ConfigurationList {
        guard withinCellLimit(node, configurations: trials, seedCount: seedCount, splitCount: splitCount, what: "up to"),
              problems.isEmpty else { return ConfigurationList(objects: [], schema: schema) }
        self.space = space
        let (list, repeats, product) = space.configurations(trials: trials, seed: seed, schema: schema)
        if product {
            notes.append("search.trials: \(trials) trials over a space of lists with \(list.count) configurations: "
                         + "each configuration is trained once")
        } else if repeats > 0 {
            notes.append("search.trials: \(repeats) of \(trials) trials drew a configuration an earlier trial drew: "
                         + "each configuration is trained once (\(list.count) configurations)")
        }
        return list
    }

    /// One grid object's axes (lists with repeats removed, or distributions), in schema order;
    /// nil when it is not an object.
    mutating func parseAxes(_ node: Node, _ path: String) -> [SearchSpace.Axis]? {
        guard let entries = mapping(node, path, allowed: schema.names) else { return nil }
        var axes: [SearchSpace.Axis] = []
        for hyperparameter in schema.hyperparameters {
            guard let valueNode = entries[hyperparameter.name] else { continue }
            let keyPath = "\(path).\(hyperparameter.name)"
            if let search, search.method.isHalving, Self.rungKeys.contains(hyperparameter.name) {
                problem(valueNode, keyPath, "is decided by the rungs under \(search.method.rawValue) "
                        + "(search.min_epochs, max_epochs, reduction_factor); leave it out of the grid")
                continue
            }
            if case .mapping = valueNode {
                guard search?.samples == true else {
                    if searchFailed { continue }
                    let hint = search == nil ? "add \"search\": {\"method\": \"random\", \"trials\": N, \"seed\": S}"
                        : "give search.trials and search.seed to draw the configurations"
                    problem(valueNode, keyPath, "a distribution is drawn from only by a random search; \(hint), or give a list")
                    continue
                }
                if let domain = parseDomain(valueNode, keyPath, hyperparameter) {
                    axes.append(SearchSpace.Axis(name: hyperparameter.name, domain: domain))
                }
            } else if let values = parseChoices(valueNode, keyPath, hyperparameter) {
                axes.append(SearchSpace.Axis(name: hyperparameter.name, domain: .choices(values)))
            }
        }
        return axes
    }

    mutating func parseChoices(_ node: Node, _ path: String, _ hyperparameter: Hyperparameter) -> [GridValue]? {
        let what: String
        switch hyperparameter.kind {
        case .layers: what = "layer lists, e.g. [[8], [16, 8]]"
        case .choice(let names): what = "names (\(names.joined(separator: ", ")))"
        case .integer: what = "integers"
        case .number: what = "numbers"
        }
        guard let items = list(node, path, what: what) else { return nil }
        if items.isEmpty {
            problem(node, path, "is empty; list at least one value (a sweep of 0 runs is never what you want)")
            return nil
        }
        var values: [GridValue] = []
        var ok = true
        for (i, item) in items.enumerated() {
            guard let value = parseChoice(item, "\(path)[\(i)]", hyperparameter, listPath: path) else { ok = false; continue }
            if values.contains(value) {
                notes.append("\(path): \(value) is listed more than once; counted once")
            } else {
                values.append(value)
            }
        }
        return ok ? values : nil
    }

    /// One value of `hyperparameter`: its JSON type checked here, its range by the schema.
    mutating func parseChoice(_ node: Node, _ path: String, _ hyperparameter: Hyperparameter, listPath: String) -> GridValue? {
        let value: GridValue
        switch hyperparameter.kind {
        case .integer:
            guard case .integer(let v)? = scalar(node) else {
                problem(node, path, "expected an integer, found \(describe(node))")
                return nil
            }
            value = .integer(v)
        case .number:
            guard let v = number(node, path) else { return nil }
            value = .number(v)
        case .choice:
            guard let v = string(node, path) else { return nil }
            value = .text(v)
        case .layers:
            guard case .sequence(let widths) = node else {
                problem(node, listPath, path == listPath ? "expected a list of layer widths, e.g. [16, 8], found \(describe(node))"
                        : "must be a list of layer lists, e.g. [[8], [16, 8]]; found \(describe(node)) at \(path)")
                return nil
            }
            var layers: [Int] = []
            for (j, width) in widths.enumerated() {
                guard let w = integer(width, "\(path)[\(j)]") else { return nil }
                if let message = hyperparameter.widthProblem(w) {
                    problem(width, "\(path)[\(j)]", message)
                    return nil
                }
                layers.append(w)
            }
            return .integers(layers)
        }
        if let message = hyperparameter.problem(with: value) {
            problem(node, path, message)
            return nil
        }
        return value
    }
}

extension Int {
    /// `self + other`, or `Int.max` when that overflows.
    func saturatingAdd(_ other: Int) -> Int {
        let (sum, overflow) = addingReportingOverflow(other)
        return overflow ? .max : sum
    }

    /// `self * other`, or `Int.max` when that overflows.
    func saturatingMultiply(_ other: Int) -> Int {
        let (product, overflow) = multipliedReportingOverflow(by: other)
        return overflow ? .max : product
    }
}
