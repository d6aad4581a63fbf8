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

    /// The run's final model; a missing run, or one without weights (diverged, failed, not
    /// trained yet), is a one-line error naming why.
    func model() throws -> Model {
        let store = try openStore(database.db, readOnly: true)
        let id = Int64(run)
        let status: String
        do {
            guard let value = try store.connection.scalar("SELECT status FROM runs WHERE run_id = ?", [.integer(id)])?.string else {
                fail("no run \(run) in \(database.db)")
            }
            status = value
        } catch { fail("\(error)") }
        switch RunStatus(rawValue: status) {
        case .finished?: break
        case .diverged?: fail("run \(run) diverged: it has no trained weights")
        case .failed?: fail("run \(run) failed: it has no trained weights")
        case .interrupted?: fail("run \(run) was interrupted: it has no trained weights")
        case .queued?: fail("run \(run) is queued: it has no trained weights yet")
        case .running?: fail("run \(run) is still running: it has no trained weights yet")
        case nil: fail("run \(run) has status '\(status)': it has no trained weights")
        }
        let weights: Data
        do { weights = try store.weights(runID: id) } catch TrackerError.notFound(_) {
            fail("run \(run) finished but has no stored weights in \(database.db)")
        } catch { fail("\(error)") }
        do { return try Model(safetensors: weights) } catch { fail("run \(run)'s weights: \(error)") }
    }

    /// The run's model and the file's rows, their feature columns in the model's order, with the
    /// file's labels (if it has a label column) mapped to the model's classes. Labels the model
    /// never saw are named in one error line. With `needsLabels`, a file without a label
    /// column is an error.
    func load(needsLabels: Bool) throws -> (model: Model, data: DataTable, labels: [Int]?) {
        let model = try model()
        let inputs = model.layerSizes[0]
        let url = URL(fileURLWithPath: file)
        let modelFeatures = "run \(run)'s model takes \(inputs) features (\(model.featureNames.joined(separator: ", ")))"
        var options = ImportOptions(labelColumn: labelColumn.map(parseLabelColumn) ?? .last)
        if labelColumn == nil {
            // Label or not, by the number of columns: the model's features, or one more.
            let columns: Int
            do { columns = try DataFile.columnCount(url, options: options) } catch { fail("\(error)", code: 2) }
            if columns == inputs {
                if needsLabels {
                    fail("\(file): no label column: its \(columns) columns are the model's features; "
                         + "evaluate needs a label column as well (the last column, or --label-column)", code: 2)
                }
                options.labelColumn = ImportOptions.LabelColumn.none
            } else if columns != inputs + 1 {
                fail("\(file): \(columns) columns, but \(modelFeatures), with or without a label column after them", code: 2)
            }
        }
        var data: DataTable
        do { data = try DataFile.readTable(url, options: options) } catch { fail("\(error)", code: 2) }
        guard data.featureCount == inputs else {
            fail("\(file): \(data.featureCount) features, but \(modelFeatures)", code: 2)
        }
        // Columns are matched by name when both the file and the model name them (a file
        // without a header gets positional names x1, x2, ...), in any order; otherwise by position.
        let positional = { (names: [String]) in names.enumerated().allSatisfy { $1 == "x\($0 + 1)" } }
        if !positional(data.featureNames), !positional(model.featureNames), data.featureNames != model.featureNames {
            let order = model.featureNames.map { data.featureNames.firstIndex(of: $0) }
            guard Set(data.featureNames).count == inputs, !order.contains(nil) else {
                fail("\(file): columns \(data.featureNames.joined(separator: ", ")) do not match the model's features "
                     + "\(model.featureNames.joined(separator: ", "))", code: 2)
            }
            data = data.selectingFeatures(order.map { $0! })
        }
        guard let labels = data.labels else {
            if needsLabels { fail("\(file): no label column", code: 2) }
            return (model, data, nil)
        }
        let unknown = Set(labels).subtracting(model.classNames).sorted()
        if needsLabels, !unknown.isEmpty {
            fail("\(file): labels the model never saw: \(unknown.map { "'\($0)'" }.joined(separator: ", ")); "
                 + "the model's classes are \(model.classNames.map { "'\($0)'" }.joined(separator: ", "))", code: 2)
        }
        let index = Dictionary(model.classNames.enumerated().map { ($1, $0) }, uniquingKeysWith: { first, _ in first })
        return (model, data, needsLabels ? labels.map { index[$0]! } : nil)
    }
}

struct PredictCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "predict", abstract: "Predict the class and per-class probabilities of each row with a stored model.")
    @OptionGroup var input: ModelInput
    @Option(name: .long, help: "Output format: csv or json.") var format: String = "csv"

    func validate() throws {
        if !["csv", "json"].contains(format) { throw ValidationError("--format must be csv or json") }
    }

    func run() throws {
        // A label column, if any, is not used: every row is predicted from its features.
        let (model, data, _) = try input.load(needsLabels: false)
        let features = Matrix(rows: data.rowCount, columns: data.featureCount, values: data.features)
        let probabilities = model.probabilities(features)
        let predicted = model.predict(features)
        if format == "json" {
            for row in 0..<data.rowCount {
                var object: [String: Any] = ["row": row + 1, "class": model.classNames[predicted[row]]]
                object["probabilities"] = Dictionary(uniqueKeysWithValues: model.classNames.enumerated().map { ($1, probabilities[row, $0]) })
                print(String(decoding: try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys]), as: UTF8.self))
            }
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

    func run() throws {
        let (model, data, mapped) = try input.load(needsLabels: true)
        let labels = mapped!  // load(needsLabels: true) returns labels or exits
        let features = Matrix(rows: data.rowCount, columns: data.featureCount, values: data.features)
        let confusion = model.confusionMatrix(LabeledData(features: features, labels: labels))
        let k = model.classNames.count
        let correct = (0..<k).map { confusion[$0][$0] }.reduce(0, +)
        print(String(format: "accuracy: %.4f (%d of %d rows)", Double(correct) / Double(labels.count), correct, labels.count))
        print("class\tprecision\trecall\trows")
        for c in 0..<k {
            let column = confusion.map { $0[c] }.reduce(0, +)
            let row = confusion[c].reduce(0, +)
            let precision = column > 0 ? String(format: "%.4f", Double(confusion[c][c]) / Double(column)) : "-"
            let recall = row > 0 ? String(format: "%.4f", Double(confusion[c][c]) / Double(row)) : "-"
            print("\(model.classNames[c])\t\(precision)\t\(recall)\t\(row)")
        }
        print("confusion matrix (rows: true class, columns: predicted, in the order above):")
        confusion.forEach { print($0.map(String.init).joined(separator: "\t")) }
    }
}
