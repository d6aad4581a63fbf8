import ArgumentParser
import Datasets
import Foundation
import NeuralNet
import Tracker

/// Options naming a stored model and a labelled data file.
struct ModelInput: ParsableArguments {
    @Option(name: .long, help: "The run whose final weights to use (runs.run_id).") var run: Int
    @Argument(help: "A data file with the model's features and a label column (read as exp sweep reads data).")
    var file: String
    @OptionGroup var database: DatabaseOptions

    /// The run's model and the file's rows, with the file's labels mapped to the model's classes.
    /// Labels the model never saw are named in one error line.
    func load() throws -> (model: Model, data: Dataset, labels: [Int]) {
        let store = try openStore(database.db, readOnly: true)
        let model: Model
        do { model = try Model(safetensors: try store.weights(runID: Int64(run))) } catch { fail("\(error)") }
        let data: Dataset
        do { data = try DataFile.read(URL(fileURLWithPath: file)) } catch { fail("\(error)", code: 2) }
        guard data.featureCount == model.layerSizes[0] else {
            fail("\(file): \(data.featureCount) features, but run \(run)'s model takes \(model.layerSizes[0]) (\(model.featureNames.joined(separator: ", ")))", code: 2)
        }
        // Columns are matched by name when both the file and the model name them (a file
        // without a header gets positional names x1, x2, ...), otherwise by count.
        let positional = { (names: [String]) in names.enumerated().allSatisfy { $1 == "x\($0 + 1)" } }
        if !positional(data.featureNames), !positional(model.featureNames), data.featureNames != model.featureNames {
            fail("\(file): columns \(data.featureNames.joined(separator: ", ")) do not match the model's features "
                 + "\(model.featureNames.joined(separator: ", "))", code: 2)
        }
        let unknown = data.classNames.filter { !model.classNames.contains($0) }
        if !unknown.isEmpty {
            fail("\(file): labels the model never saw: \(unknown.map { "'\($0)'" }.joined(separator: ", ")); "
                 + "the model's classes are \(model.classNames.map { "'\($0)'" }.joined(separator: ", "))", code: 2)
        }
        let labels = data.labels.map { model.classNames.firstIndex(of: data.classNames[$0])! }
        return (model, data, labels)
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
        let (model, data, _) = try input.load()
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
        let (model, data, labels) = try input.load()
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

/// A CSV field, quoted when it holds a comma, quote or line break (RFC 4180).
func csvField(_ text: String) -> String {
    guard text.contains(where: { $0 == "," || $0 == "\"" || $0.isNewline }) else { return text }
    return "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\""
}
