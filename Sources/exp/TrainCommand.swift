import ArgumentParser
import Datasets
import Determinism
import Foundation
import NeuralNet
import Sweep
import Tracker

/// The help line of a hyperparameter flag, from the schema (allowed values, default, when it applies).
private func schemaHelp(_ key: String, _ extra: String = "") -> ArgumentHelp {
    ArgumentHelp(HyperparameterSchema.current.help(for: key) + extra)
}

struct TrainCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "train",
        abstract: "Train one configuration and store the run as a one-cell sweep.",
        discussion: """
            The data is a file (--data, read as `exp data import` reads it, with the same import options) or a stored \
            data set (--dataset NAME[@VERSION]). Hyperparameters come from --config (a JSON object such as {"hidden_layers": [8], "learning_rate": 0.1}), \
            then from flags, then from the defaults in docs/grid.md. The run is validated and stored exactly like a sweep's; \
            running the same command again finds the finished run instead of training it twice.

            Examples:
              exp train --data Data/iris.data --hidden-layers 8 --learning-rate 0.5 --epochs 200
              exp train --dataset iris --config config.json --seed 3
            """
    )

    @Option(name: .long, help: "The data file (read as `exp data import` reads it; see the import options).") var data: String?
    @Option(name: .long, help: "A stored data set instead of a file: NAME (its newest version) or NAME@VERSION.") var dataset: String?
    @OptionGroup(title: "Import options (with --data)") var importFlags: ImportFlags
    @Option(name: .long, help: "A JSON file with one value per hyperparameter.") var config: String?
    @Option(name: .long, help: "Sweep name (default: derived from the data file and configuration).") var name: String?
    @Option(name: .long, parsing: .unconditional, help: "Seed of weight initialisation and shuffling.") var seed: Int = 1
    @Option(name: .long, parsing: .unconditional, help: "Share of each class held out for testing.") var testFraction: Double = 0.2
    @Option(name: .long, parsing: .unconditional, help: "Share of each class used for validation.") var validationFraction: Double = 0.2
    @Option(name: .long, parsing: .unconditional, help: "Seed of the stratified split.") var splitSeed: Int = 0

    // Numbers take the next argument whatever it looks like, so `--learning-rate -1` reaches the
    // range check instead of reading as an unknown option.
    // One flag per key of HyperparameterSchema.current: `--x-y` for `x_y` (a test checks the two agree).
    @Option(name: .long, help: schemaHelp("hidden_layers", " Comma-separated, e.g. 16,8; empty for none.")) var hiddenLayers: String?
    @Option(name: .long, help: schemaHelp("activation")) var activation: String?
    @Option(name: .long, help: schemaHelp("loss")) var loss: String?
    @Option(name: .customLong("init"), help: schemaHelp("init")) var initialization: String?
    @Option(name: .long, help: schemaHelp("optimizer")) var optimizer: String?
    @Option(name: .long, parsing: .unconditional, help: schemaHelp("momentum")) var momentum: Double?
    @Option(name: .long, parsing: .unconditional, help: schemaHelp("learning_rate")) var learningRate: Double?
    @Option(name: .long, parsing: .unconditional, help: schemaHelp("batch_size")) var batchSize: Int?
    @Option(name: .long, parsing: .unconditional, help: schemaHelp("epochs")) var epochs: Int?
    @Option(name: .long, parsing: .unconditional, help: schemaHelp("weight_decay")) var weightDecay: Double?
    @Option(name: .long, help: schemaHelp("scaling")) var scaling: String?
    @Option(name: .long, parsing: .unconditional, help: schemaHelp("early_stopping_patience")) var earlyStoppingPatience: Int?
    @Option(name: .long, help: schemaHelp("class_weight")) var classWeight: String?
    @OptionGroup var database: DatabaseOptions

    /// The hyperparameter flags given, by key, as the command line wrote them.
    var flags: [(key: String, value: Any)] {
        let all: [(String, Any?)] = [
            ("hidden_layers", hiddenLayers), ("activation", activation), ("loss", loss), ("init", initialization),
            ("optimizer", optimizer), ("momentum", momentum), ("learning_rate", learningRate), ("batch_size", batchSize),
            ("epochs", epochs), ("weight_decay", weightDecay), ("scaling", scaling), ("early_stopping_patience", earlyStoppingPatience),
            ("class_weight", classWeight),
        ]
        return all.compactMap { key, value in value.map { (key, $0) } }
    }

    /// `--hidden-layers`' comma-separated widths (`16,8`; empty for none), or `nil`.
    static func widths(_ text: String) -> [Int]? {
        let widths = text.split(separator: ",").map { Int($0.trimmingCharacters(in: .whitespaces)) }
        return widths.allSatisfy { $0 != nil } ? widths.map { $0! } : nil
    }

    /// The flag of a hyperparameter key: `--learning-rate` for `learning_rate`.
    static func flag(for key: String) -> String { "--" + key.replacingOccurrences(of: "_", with: "-") }

    /// The configuration to train: --config's values, then the flags', checked against the schema.
    /// - Throws: ``GridError`` naming the --config file and key, or `exp train` and the flag.
    func configuration() throws -> [String: GridValue] {
        var values: [String: GridValue] = [:]
        if let config {
            guard let text = try? String(contentsOf: URL(fileURLWithPath: config), encoding: .utf8) else {
                throw GridError(file: config, problems: [.init(path: "", message: "cannot read the file")])
            }
            values = try GridFile.configuration(fromJSON: text, file: config)
        }
        var problems: [GridError.Problem] = []
        for (key, given) in flags {
            let value: GridValue
            switch given {
            case let layers as String where key == "hidden_layers":
                guard let widths = Self.widths(layers) else {
                    problems.append(.init(path: Self.flag(for: key), message: "expected widths like 16,8"))
                    continue
                }
                value = .integers(widths)
            case let number as Double: value = .number(number)
            case let integer as Int: value = .integer(integer)
            default: value = .text("\(given)")
            }
            if let message = HyperparameterSchema.current[key]?.problem(with: value) {
                problems.append(.init(path: Self.flag(for: key), message: message))
            }
            values[key] = value
        }
        guard problems.isEmpty else { throw GridError(file: "exp train", problems: problems) }
        return values
    }

    /// The grid object `runs.db` stores for the run's sweep: --config's JSON and the flags as
    /// given, each a list of one choice. With the data file and protocol, its text names the
    /// sweep, so the same command finds the same sweep in every version.
    func recordedGrid() -> [String: Any] {
        var values: [String: Any] = [:]
        if let config, let data = try? Data(contentsOf: URL(fileURLWithPath: config)),
           let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any] {
            values = object
        }
        for (key, value) in flags {
            values[key] = key == "hidden_layers" ? Self.widths(value as! String) ?? [] : value
        }
        return values.mapValues { [$0] }
    }

    func validate() throws {
        if (data == nil) == (dataset == nil) { throw ValidationError("give either --data FILE or --dataset NAME[@VERSION]") }
        if dataset != nil, !importFlags.isDefault {
            throw ValidationError("--label-column, --header, --delimiter and --decimal-comma apply to --data: a stored data set is already read")
        }
        for (flag, value) in [("--test-fraction", testFraction), ("--validation-fraction", validationFraction)] where !value.isFinite {
            throw ValidationError("\(flag) must be a finite number")
        }
    }

    /// The data to train on: the file of --data as read with the import options, or the stored
    /// data set of --dataset; with the location that names it (the file, or the stored set's
    /// source) and how the sweep records it (a path, a `dataset` object with the import
    /// options given, or `NAME@VERSION`).
    func trainingData() throws -> (dataset: Dataset, url: URL, recorded: Any) {
        if let data {
            let url = URL(fileURLWithPath: data).standardizedFileURL
            let read: (dataset: Dataset, notes: [String])
            do { read = try DatasetImport.readNoted(url, options: importFlags.options) } catch { throw ExpError.rejected("\(error)") }
            for line in read.notes { note("note: \(data): \(line)") }
            let keys = importFlags.gridKeys
            let recorded: Any = keys.isEmpty ? url.path : keys.merging(["path": url.path]) { $1 }
            return (read.dataset, url, recorded)
        }
        let reference = dataset!
        let store = try openStore(database.db, readOnly: true)
        let (name, version) = parseDatasetReference(reference)
        let found: DatasetRecord?
        do { found = try version.map { try store.dataset(named: name, version: $0) } ?? store.dataset(named: name) } catch {
            throw ExpError.database(error, path: database.db)
        }
        guard let record = found else {
            let stored = (try? store.datasets().map { "\($0.name)@\($0.version)" }) ?? []
            throw ExpError.rejected("no data set '\(reference)' in \(database.db)"
                + (stored.isEmpty ? "" : " (stored: \(stored.joined(separator: ", ")))"))
        }
        let stored: Dataset
        do { stored = try Dataset.fromCanonicalCSV(name: record.name, text: record.content, classNames: record.classNames) } catch {
            throw ExpError.incomplete("\(record.name)@\(record.version): stored content cannot be read: \(error)")
        }
        let url = URL(fileURLWithPath: record.sourcePath ?? "\(record.name)@\(record.version)")
        return (stored, url, "\(record.name)@\(record.version)")
    }

    func run() throws {
        BLAS.useSingleThread()
        let configuration = try configuration()
        let (dataset, dataURL, recordedDataset) = try trainingData()
        let protocolObject: [String: Any] = ["test_fraction": testFraction, "validation_fraction": validationFraction, "split_seed": splitSeed]
        var object: [String: Any] = ["dataset": recordedDataset, "protocol": protocolObject, "seeds": [seed], "grid": recordedGrid()]
        let unnamed = try jsonText(object, pretty: false)
        let stem = data == nil ? dataset.name : dataURL.deletingPathExtension().lastPathComponent
        let sweepName = name ?? "train-\(stem)-\(sha256Hex(unnamed).prefix(12))"
        object["name"] = sweepName
        let text = try jsonText(object, pretty: true)
        let gridFile = try GridFile(name: sweepName, datasetURL: dataURL, datasetOptions: importFlags.options,
                                    evaluation: EvaluationProtocol(testFraction: testFraction, validationFraction: validationFraction,
                                                                   folds: nil, splitSeed: splitSeed),
                                    seeds: [seed], configurations: [configuration], text: text,
                                    url: config.map { URL(fileURLWithPath: $0) } ?? dataURL)
        let (store, _, prepared) = try prepareSweep(gridFile, dataset: dataset, database: database.db)
        _ = try runSweep(prepared, store: store, jobs: 1, quiet: true)
        let run = try store.latestRun(sweepID: prepared.sweepID).map { s in
            (s.runID, s.status.rawValue, s.validationAccuracy, s.testAccuracy, s.bestEpoch, s.durationSeconds, s.error, s.config)
        }!
        print("run \(run.0) (sweep '\(gridFile.name)'): \(run.1)")
        print("config: \(run.7)")
        print("validation accuracy \(percent(run.2)), test accuracy \(percent(run.3)), best epoch \(run.4.map(String.init) ?? "-"), "
              + "\(run.5.map { String(format: "%.3f s", $0) } ?? "-")")
        // As for a sweep, a diverged run is a result (exit 0); a failed one is not.
        if run.1 == RunStatus.diverged.rawValue, let error = run.6 { note("exp: \(error)") }
        if ![RunStatus.finished.rawValue, RunStatus.diverged.rawValue].contains(run.1) {
            throw ExpError.incomplete(run.6 ?? "run \(run.0) \(run.1)")
        }
    }
}
