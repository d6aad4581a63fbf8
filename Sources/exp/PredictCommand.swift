import ArgumentParser
import Datasets
import Foundation
import NeuralNet
import Scoring
import Tracker

/// Options naming a stored model — a run, or the best run of a sweep — and a data file of its
/// features, with or without a label column.
struct ModelInput: ParsableArguments {
    @Option(name: .long, help: "The run whose final weights to use (runs.run_id).") var run: Int?
    @Option(name: .long, help: "With --best: use the best run of this sweep (as exp best prints it).") var sweep: String?
    @Flag(name: .long, help: "With --sweep: the best run of the sweep's best configuration (ranked as in the report).") var best = false
    @Argument(help: ArgumentHelp(
        "A data file with the model's features, optionally followed by a label column (read as exp data import reads files).",
        discussion: "A file with exactly the model's number of feature columns has no label column; with one column more, the last one is the label."))
    var file: String
    @Option(name: .customLong("label-column"), help: "The label column when it is not the last: a header name, or a 0-based column index.")
    var labelColumn: String?
    @OptionGroup var database: DatabaseOptions

    func validate() throws {
        if let labelColumn, labelColumn.isEmpty { throw ValidationError("--label-column must not be empty") }
        if run != nil, sweep != nil || best { throw ValidationError("name the model with --run ID or with --sweep NAME --best, not both") }
        if run == nil, sweep == nil { throw ValidationError("name the model with --run ID or --sweep NAME --best") }
        if best, sweep == nil { throw ValidationError("--best needs --sweep NAME") }
    }

    /// The run ids of the models: the one run asked for, the sweep's best run, or with
    /// `ensemble` every finished run of the sweep's best configuration, best first.
    func runIDs(ensemble: Bool) throws -> [Int64] {
        if let run { return [Int64(run)] }
        let store = try openStore(database.db, readOnly: true)
        let best: BestModel
        do { best = try BestModel(store: store, sweep: sweep ?? "", database: database.db) } catch let error as ExpError { throw error } catch {
            throw ExpError.database(error, path: database.db)
        }
        return ensemble ? best.runs.map(\.runID) : [best.bestRun.runID]
    }

    /// Run `id`'s final model.
    /// - Throws: ``ExpError/rejected(_:)`` for a missing run, or one without weights (diverged,
    ///   failed, not trained yet), naming why.
    func model(_ id: Int64) throws -> Model {
        let run = id
        let store = try openStore(database.db, readOnly: true)
        let status: String
        do {
            guard let value = try store.runStatus(id: id)?.rawValue else {
                throw ExpError.rejected("no run \(run) in \(database.db)")
            }
            status = value
        } catch let error as ExpError { throw error } catch { throw ExpError.database(error, path: database.db) }
        switch RunStatus(rawValue: status) {
        case .finished?, .pruned?: break  // a pruned run has the weights of the rung it stopped at
        case .diverged?: throw ExpError.rejected("run \(run) diverged: it has no trained weights")
        case .failed?: throw ExpError.rejected("run \(run) failed: it has no trained weights")
        case .interrupted?: throw ExpError.rejected("run \(run) was interrupted: it has no trained weights")
        case .queued?: throw ExpError.rejected("run \(run) is queued: it has no trained weights yet")
        case .running?: throw ExpError.rejected("run \(run) is still running: it has no trained weights yet")
        case nil: throw ExpError.rejected("run \(run) has status '\(status)': it has no trained weights")
        }
        let weights: Data
        do { weights = try store.weights(runID: id) } catch TrackerError.notFound(_) {
            throw ExpError.incomplete("run \(run) finished but has no stored weights in \(database.db)")
        } catch { throw ExpError.database(error, path: database.db) }
        do { return try Model(safetensors: weights) } catch { throw ExpError.incomplete("run \(run)'s weights: \(error)") }
    }

    /// The models (one, or an ensemble's) and the file's rows, their feature columns in the
    /// models' order, with the file's labels (if it has a label column) mapped to the models'
    /// classes. With `needsLabels`, a file without a label column, or with labels the model
    /// never saw, is refused.
    func load(needsLabels: Bool, ensemble: Bool = false) throws -> (runIDs: [Int64], models: [Model], data: DataTable, labels: [Int]?) {
        let ids = try runIDs(ensemble: ensemble)
        let models = try ids.map(model)
        let model = models[0]
        let inputs = model.layerSizes[0]
        let features = model.featureNames.count == inputs ? model.featureNames : (1...inputs).map { "x\($0)" }
        let data: DataTable
        do {
            data = try DataFile.readTable(URL(fileURLWithPath: file), forFeatures: features,
                                          options: ImportOptions(labelColumn: labelColumn.map(parseLabelColumn) ?? .last),
                                          inferLabelColumn: labelColumn == nil, requireLabels: needsLabels)
        } catch let error as FeatureMismatchError {
            throw ExpError.rejected(message(error, run: ids[0]))
        }
        guard needsLabels, let labels = data.labels(matching: model.classNames) else { return (ids, models, data, nil) }
        do { return (ids, models, data, try model.classIndices(ofLabels: labels)) } catch let error as UnknownLabelsError {
            throw ExpError.rejected("\(file): \(error)")
        }
    }

    /// The user's terms for a file that does not fit run `run`'s model.
    private func message(_ error: FeatureMismatchError, run: Int64) -> String {
        let features = "run \(run)'s model takes \(error.expected.count) features (\(error.expected.joined(separator: ", ")))"
        switch error.kind {
        case .noLabelColumn(let columns):
            return "\(file): no label column: its \(columns) columns are the model's features; "
                + "evaluate needs a label column as well (the last column, or --label-column)"
        case .columnCount(let columns):
            return "\(file): \(columns) columns, but \(features), with or without a label column after them"
        case .featureCount(let count):
            return "\(file): \(count) features, but \(features)"
        case .featureNames(let names):
            return "\(file): columns \(names.joined(separator: ", ")) do not match the model's features "
                + error.expected.joined(separator: ", ")
        case .missingFeatures(let names):
            return "\(file): missing feature\(names.count == 1 ? "" : "s") \(names.map { "'\($0)'" }.joined(separator: ", ")); \(features)"
        case .unknownColumns(let names):
            return "\(file): columns \(names.map { "'\($0)'" }.joined(separator: ", ")) are not among the model's features; "
                + "say which is the label with --label-column NAME"
        }
    }
}

struct PredictCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "predict", abstract: "Predict the class and per-class probabilities of each row with a stored model.",
        discussion: """
            The model is one run (--run), the best run of a sweep (--sweep NAME --best, as exp best prints it), or \
            with --ensemble every finished run of the sweep's best configuration (its seeds and folds), their class \
            probabilities averaged per row.

            Examples:
              exp predict --run 12 new-flowers.csv
              exp predict --sweep iris --best new-flowers.csv --format json
              exp predict --sweep iris --ensemble new-flowers.csv
            """)
    @OptionGroup var input: ModelInput
    @Flag(name: .long, help: "With --sweep: average the probabilities of every finished run of the best configuration.") var ensemble = false
    @Option(name: .long, help: "Output format: csv, json (one array of rows) or jsonl (one row per line).") var format: String = "csv"

    func validate() throws {
        if !["csv", "json", "jsonl"].contains(format) { throw ValidationError("--format must be csv, json or jsonl") }
        if input.sweep != nil, !input.best, !ensemble { throw ValidationError("--sweep needs --best or --ensemble") }
        if ensemble, input.sweep == nil { throw ValidationError("--ensemble needs --sweep NAME") }
    }

    func run() throws {
        // A label column, if any, is not used: every row is predicted from its features.
        let (_, models, data, _) = try input.load(needsLabels: false, ensemble: ensemble)
        let features = Matrix(rows: data.rowCount, columns: data.featureCount, values: data.features)
        let classNames = models[0].classNames, classes = classNames.count
        // One model is an ensemble of one: its mean probabilities are its own.
        var combined = RowEnsemble()
        let rows = Array(0..<data.rowCount)
        for model in models {
            combined.add(indices: rows, labels: Array(repeating: RowEnsemble.unknownLabel, count: rows.count),
                         probabilities: model.probabilities(features).values, classes: classes)
        }
        let predictions = rows.map { combined.rows[$0]! }
        if let output = JSONOutput(rawValue: format) {
            try output.print(rows.map { row -> Any in
                let p = predictions[row].meanProbabilities
                return ["row": row + 1, "class": classNames[predictions[row].prediction],
                        "probabilities": Dictionary(uniqueKeysWithValues: classNames.enumerated().map { ($1, p[$0]) })]
                    as [String: Any]
            })
            return
        }
        print((["row", "class"] + classNames.map { "p_\(csvField($0))" }).joined(separator: ","))
        for row in rows {
            let values = predictions[row].meanProbabilities.map { "\($0)" }
            print((["\(row + 1)", csvField(classNames[predictions[row].prediction])] + values).joined(separator: ","))
        }
    }
}

struct EvaluateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "evaluate", abstract: "Accuracy, per-class precision and recall, and the confusion matrix of a stored model on a labelled file.",
        discussion: """
            Examples:
              exp evaluate --run 12 Data/iris.data
              exp evaluate --sweep iris --best held-out.csv --json
            """)
    @OptionGroup var input: ModelInput
    @Flag(name: .long, help: "Print one JSON object: accuracy, per-class figures and the confusion matrix.") var json = false

    func validate() throws {
        if input.sweep != nil, !input.best { throw ValidationError("--sweep needs --best") }
    }

    func run() throws {
        let (ids, models, data, mapped) = try input.load(needsLabels: true)
        let model = models[0]
        let labels = mapped!  // load(needsLabels: true) returns labels or throws
        let features = Matrix(rows: data.rowCount, columns: data.featureCount, values: data.features)
        let confusion = model.confusionMatrix(LabeledData(features: features, labels: labels))
        let metrics = ClassificationMetrics(confusion: confusion)
        if json {
            printJSON([
                "run_id": ids[0], "file": input.file, "accuracy": metrics.accuracy.map { $0 as Any } ?? NSNull(),
                "correct": metrics.correct, "rows": metrics.total, "class_names": model.classNames,
                "classes": zip(model.classNames, metrics.classes).map { name, figures -> [String: Any] in
                    ["class": name, "precision": figures.precision.map { $0 as Any } ?? NSNull(),
                     "recall": figures.recall.map { $0 as Any } ?? NSNull(), "rows": figures.rows]
                },
                "confusion_matrix": confusion,
            ] as [String: Any])
            return
        }
        print(String(format: "accuracy: %.4f (%d of %d rows)", metrics.accuracy ?? .nan, metrics.correct, metrics.total))
        print("class\tprecision\trecall\trows")
        for (name, figures) in zip(model.classNames, metrics.classes) {
            let precision = figures.precision.map { String(format: "%.4f", $0) } ?? "-"
            let recall = figures.recall.map { String(format: "%.4f", $0) } ?? "-"
            print("\(name)\t\(precision)\t\(recall)\t\(figures.rows)")
        }
        print("confusion matrix (rows: true class, columns: predicted, in the order above):")
        confusion.forEach { print($0.map(String.init).joined(separator: "\t")) }
    }
}
