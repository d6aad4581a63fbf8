import ArgumentParser
import Datasets
import Foundation
import NeuralNet
import Tracker

/// Options naming a stored model and a data file of its features, with or without a label column.
struct ModelInput: ParsableArguments {
    @Option(name: .long, help: "The run whose final weights to use (runs.run_id).") var run: Int
    @Argument(help: ArgumentHelp(
        "A data file with the model's features, optionally followed by a label column (read as exp data import reads files).",
        discussion: "A file with exactly the model's number of feature columns has no label column; with one column more, the last one is the label."))
    var file: String
    @Option(name: .customLong("label-column"), help: "The label column when it is not the last: a header name, or a 0-based column index.")
    var labelColumn: String?
    @OptionGroup var database: DatabaseOptions

    func validate() throws {
        if let labelColumn, labelColumn.isEmpty { throw ValidationError("--label-column must not be empty") }
    }

    /// The run's final model.
    /// - Throws: ``ExpError/rejected(_:)`` for a missing run, or one without weights (diverged,
    ///   failed, not trained yet), naming why.
    func model() throws -> Model {
        let store = try openStore(database.db, readOnly: true)
        let id = Int64(run)
        let status: String
        do {
            guard let value = try store.runStatus(id: id)?.rawValue else {
                throw ExpError.rejected("no run \(run) in \(database.db)")
            }
            status = value
        } catch let error as ExpError { throw error } catch { throw ExpError.database(error, path: database.db) }
        switch RunStatus(rawValue: status) {
        case .finished?: break
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

    /// The run's model and the file's rows, their feature columns in the model's order, with the
    /// file's labels (if it has a label column) mapped to the model's classes. With
    /// `needsLabels`, a file without a label column, or with labels the model never saw, is
    /// refused.
    func load(needsLabels: Bool) throws -> (model: Model, data: DataTable, labels: [Int]?) {
        let model = try model()
        let inputs = model.layerSizes[0]
        let features = model.featureNames.count == inputs ? model.featureNames : (1...inputs).map { "x\($0)" }
        let data: DataTable
        do {
            data = try DataFile.readTable(URL(fileURLWithPath: file), forFeatures: features,
                                          options: ImportOptions(labelColumn: labelColumn.map(parseLabelColumn) ?? .last),
                                          inferLabelColumn: labelColumn == nil, requireLabels: needsLabels)
        } catch let error as FeatureMismatchError {
            throw ExpError.rejected(message(error))
        }
        guard needsLabels, let labels = data.labels(matching: model.classNames) else { return (model, data, nil) }
        do { return (model, data, try model.classIndices(ofLabels: labels)) } catch let error as UnknownLabelsError {
            throw ExpError.rejected("\(file): \(error)")
        }
    }

    /// The user's terms for a file that does not fit run `run`'s model.
    private func message(_ error: FeatureMismatchError) -> String {
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
        commandName: "predict", abstract: "Predict the class and per-class probabilities of each row with a stored model.")
    @OptionGroup var input: ModelInput
    @Option(name: .long, help: "Output format: csv, json (one array of rows) or jsonl (one row per line).") var format: String = "csv"

    func validate() throws {
        if !["csv", "json", "jsonl"].contains(format) { throw ValidationError("--format must be csv, json or jsonl") }
    }

    func run() throws {
        // A label column, if any, is not used: every row is predicted from its features.
        let (model, data, _) = try input.load(needsLabels: false)
        let features = Matrix(rows: data.rowCount, columns: data.featureCount, values: data.features)
        let probabilities = model.probabilities(features)
        let predicted = model.predict(features)
        if let output = JSONOutput(rawValue: format) {
            try output.print((0..<data.rowCount).map { row -> Any in
                ["row": row + 1, "class": model.classNames[predicted[row]],
                 "probabilities": Dictionary(uniqueKeysWithValues: model.classNames.enumerated().map { ($1, probabilities[row, $0]) })]
                    as [String: Any]
            })
            return
        }
        print((["row", "class"] + model.classNames.map { "p_\(csvField($0))" }).joined(separator: ","))
        for row in 0..<data.rowCount {
            let values = (0..<model.classNames.count).map { "\(probabilities[row, $0])" }
            print((["\(row + 1)", csvField(model.classNames[predicted[row]])] + values).joined(separator: ","))
        }
    }
}

struct EvaluateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "evaluate", abstract: "Accuracy, per-class precision and recall, and the confusion matrix of a stored model on a labelled file.")
    @OptionGroup var input: ModelInput
    @Flag(name: .long, help: "Print one JSON object: accuracy, per-class figures and the confusion matrix.") var json = false

    func run() throws {
        let (model, data, mapped) = try input.load(needsLabels: true)
        let labels = mapped!  // load(needsLabels: true) returns labels or throws
        let features = Matrix(rows: data.rowCount, columns: data.featureCount, values: data.features)
        let confusion = model.confusionMatrix(LabeledData(features: features, labels: labels))
        let metrics = ClassificationMetrics(confusion: confusion)
        if json {
            printJSON([
                "run_id": input.run, "file": input.file, "accuracy": metrics.accuracy.map { $0 as Any } ?? NSNull(),
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
