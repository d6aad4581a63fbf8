import ArgumentParser
import Datasets
import Determinism
import Foundation
import NeuralNet
import Sweep
import Tracker

struct TrainCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "train",
        abstract: "Train one configuration and store the run as a one-cell sweep.",
        discussion: """
            Hyperparameters come from --config (a JSON object such as {"hidden_layers": [8], "learning_rate": 0.1}), \
            then from flags, then from the defaults in docs/grid.md. The run is validated and stored exactly like a sweep's; \
            running the same command again finds the finished run instead of training it twice.
            """
    )

    @Option(name: .long, help: "The data file.") var data: String
    @Option(name: .long, help: "A JSON file with one value per hyperparameter.") var config: String?
    @Option(name: .long, help: "Sweep name (default: derived from the data file and configuration).") var name: String?
    @Option(name: .long, help: "Seed of weight initialisation and shuffling.") var seed: Int = 1
    @Option(name: .long, help: "Share of each class held out for testing.") var testFraction: Double = 0.2
    @Option(name: .long, help: "Share of each class used for validation.") var validationFraction: Double = 0.2
    @Option(name: .long, help: "Seed of the stratified split.") var splitSeed: Int = 0

    @Option(name: .long, help: "Hidden layer widths, comma-separated (e.g. 16,8; empty for none).") var hiddenLayers: String?
    @Option(name: .long, help: "sigmoid, tanh or relu.") var activation: String?
    @Option(name: .long, help: "mse or cross_entropy.") var loss: String?
    @Option(name: .customLong("init"), help: "normal, normal_scaled, xavier or he.") var initialization: String?
    @Option(name: .long, help: "sgd, momentum or adam.") var optimizer: String?
    @Option(name: .long, help: "Momentum coefficient.") var momentum: Double?
    @Option(name: .long, help: "Learning rate.") var learningRate: Double?
    @Option(name: .long, help: "Rows per mini-batch.") var batchSize: Int?
    @Option(name: .long, help: "Epochs.") var epochs: Int?
    @Option(name: .long, help: "L2 weight decay.") var weightDecay: Double?
    @Option(name: .long, help: "standard, minmax or none.") var scaling: String?
    @Option(name: .long, help: "Early stopping patience in epochs (0 = off).") var earlyStoppingPatience: Int?
    @OptionGroup var database: DatabaseOptions

    /// The hyperparameters given, as grid choices of one value each.
    func choices() throws -> [String: Any] {
        var values: [String: Any] = [:]
        if let config {
            let url = URL(fileURLWithPath: config)
            guard let data = try? Data(contentsOf: url) else { fail("\(config): cannot read the file", code: 2) }
            guard let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any] else {
                fail("\(config): expected a JSON object of hyperparameters", code: 2)
            }
            values = object
        }
        if let hiddenLayers {
            let widths = hiddenLayers.split(separator: ",").map { Int($0.trimmingCharacters(in: .whitespaces)) }
            guard widths.allSatisfy({ $0 != nil }) else { fail("--hidden-layers: expected widths like 16,8", code: 2) }
            values["hidden_layers"] = widths.map { $0! }
        }
        let flags: [(String, Any?)] = [
            ("activation", activation), ("loss", loss), ("init", initialization), ("optimizer", optimizer),
            ("momentum", momentum), ("learning_rate", learningRate), ("batch_size", batchSize), ("epochs", epochs),
            ("weight_decay", weightDecay), ("scaling", scaling), ("early_stopping_patience", earlyStoppingPatience),
        ]
        for (key, value) in flags { if let value { values[key] = value } }
        return values.mapValues { [$0] }
    }

    func validate() throws {
        let numbers: [(String, Double?)] = [("--momentum", momentum), ("--learning-rate", learningRate), ("--weight-decay", weightDecay),
                                            ("--test-fraction", testFraction), ("--validation-fraction", validationFraction)]
        for (flag, value) in numbers where value.map({ !$0.isFinite }) ?? false {
            throw ValidationError("\(flag) must be a finite number")
        }
    }

    func run() throws {
        BLAS.useSingleThread()
        let dataURL = URL(fileURLWithPath: data).standardizedFileURL
        let grid = try choices()
        let protocolObject: [String: Any] = ["test_fraction": testFraction, "validation_fraction": validationFraction, "split_seed": splitSeed]
        var object: [String: Any] = ["dataset": dataURL.path, "protocol": protocolObject, "seeds": [seed], "grid": grid]
        let unnamed = String(decoding: try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys]), as: UTF8.self)
        object["name"] = name ?? "train-\(dataURL.deletingPathExtension().lastPathComponent)-\(sha256Hex(unnamed).prefix(12))"
        let text = String(decoding: try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .prettyPrinted]), as: UTF8.self)
        let gridFile: GridFile
        do {
            gridFile = try GridFile.parse(text, url: config.map { URL(fileURLWithPath: $0) } ?? dataURL)
        } catch let error as GridError {
            // The grid text was generated here: name the hyperparameter, not a line of it.
            for problem in error.problems {
                let plain = problem.replacingOccurrences(of: #"^line \d+: (grid\.)?"#, with: "", options: .regularExpression)
                    .replacingOccurrences(of: #"^(\w+)\[0\]"#, with: "$1", options: .regularExpression)
                note("exp: \(config ?? "train"): \(plain)")
            }
            throw ExitCode(2)
        }
        let (store, _, prepared) = try prepareSweep(gridFile, database: database.db)
        let summary = SweepRunner().run(prepared, store: store, options: SweepOptions(jobs: 1, progress: .quiet, toolVersion: toolVersion))
        if let signal = summary.signal { throw ExitCode(128 + signal) }
        let run = try store.connection.query("""
            SELECT run_id, status, final_validation_accuracy, test_accuracy, best_epoch, duration_seconds, error, config
            FROM runs WHERE sweep_id = ? ORDER BY run_id DESC LIMIT 1
            """, [.integer(prepared.sweepID)]) { s in
            (s.int(0)!, s.string(1)!, s.double(2), s.double(3), s.int(4), s.double(5), s.string(6), s.string(7)!)
        }.first!
        print("run \(run.0) (sweep '\(gridFile.name)'): \(run.1)")
        print("config: \(run.7)")
        print("validation accuracy \(percent(run.2)), test accuracy \(percent(run.3)), best epoch \(run.4.map(String.init) ?? "-"), "
              + "\(run.5.map { String(format: "%.3f s", $0) } ?? "-")")
        if let error = run.6 { note("exp: \(error)") }
        if run.1 != RunStatus.finished.rawValue { throw ExitCode(1) }
    }
}
