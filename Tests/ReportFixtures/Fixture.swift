import Determinism
import Foundation
import Tracker

/// One synthetic run to store.
struct RunSpec {
    var parameters: [String: String]
    var seed: Int
    var status: RunStatus = .finished
    var validation: Double?
    var test: Double?
    var bestEpoch: Int? = 10
    var seconds: Double = 2
    var epochs: Int = 20
    var confusion: [[Int]]? = nil
    /// The run's `final` model (safetensors), when the test scores stored models.
    var weights: Data? = nil
    /// The run's fold of a k-fold sweep (1...k; 0 for holdout), each fold with its own split of `rows`.
    var fold: Int = 0
    /// Validation figures of the metrics stored since schema version 6 (none: an older run).
    var metrics: [RankingMetric: Double] = [:]
}

/// The baseline's hyperparameters, with one or more changed.
func baseline(_ changes: [String: String] = [:]) -> [String: String] {
    var values = ["hidden_layers": "[3]", "activation": "sigmoid", "loss": "mse", "init": "normal", "optimizer": "sgd",
                  "learning_rate": "0.1", "batch_size": "32", "epochs": "3000"]
    for (key, value) in changes { values[key] = value }
    return values
}

/// A temporary runs database filled through RunStore's own API.
final class Fixture {
    let directory: URL
    let store: RunStore
    private var nextCell = 0
    private var datasetID: Int64 = 0

    init() throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("report-tests-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        store = try RunStore(path: directory.appendingPathComponent("runs.db").path)
    }

    deinit { try? FileManager.default.removeItem(at: directory) }

    var output: URL { directory.appendingPathComponent("report") }

    /// Stores a data set and a sweep over it, then one finished (or otherwise ended) run per spec.
    @discardableResult
    func sweep(_ name: String, runs: [RunSpec], datasetName: String = "iris", featureNames: [String]? = nil,
               classNames: [String] = ["setosa", "versicolor", "virginica"],
               protocolJSON: String = #"{"split_seed":0,"test_fraction":0.2,"validation_fraction":0.2}"#,
               rows: SplitRows = SplitRows(train: Array(0..<90), validation: Array(90..<120), test: Array(120..<150)),
               featureValue: (_ row: Int, _ feature: Int) -> Double = { row, _ in Double(row % 7) / 2 },
               benchmark: Benchmark? = nil) throws -> Int64 {
        let features = featureNames ?? ["sepal_length", "sepal_width", "petal_length", "petal_width"]
        // Canonical CSV: a field with a comma, quote or line break is quoted.
        func field(_ text: String) -> String {
            text.contains { ",\"\n\r".contains($0) } ? "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : text
        }
        let content = ([(features + ["class"]).map(field).joined(separator: ",")]
            + (0..<150).map { i in
                features.indices.map { String(featureValue(i, $0)) }.joined(separator: ",") + "," + field(classNames[i % classNames.count])
            })
            .joined(separator: "\n")
        let dataset = try store.storeDataset(DatasetRecord(
            sha256: sha256Hex(content), name: datasetName, sourcePath: nil, rowCount: 150,
            featureNames: features, classNames: classNames, content: content))
        datasetID = dataset.id!
        let sweep = try store.openSweep(SweepRecord(name: name, datasetID: datasetID, grid: "{\"name\": \"\(name)\"}",
                                                    gridPath: nil, protocolJSON: protocolJSON, toolVersion: "test",
                                                    benchmark: benchmark))
        var splitIDs: [Int: Int64] = [:]
        for fold in Set(runs.map(\.fold)).sorted() {
            splitIDs[fold] = try store.storeSplit(datasetID: datasetID, splitSeed: 0, protocolJSON: protocolJSON, fold: fold, rows: rows)
        }
        var specs: [Int: RunSpec] = [:]
        let cells = runs.map { spec -> Cell in
            func quoted(_ text: String) -> String {
                "\"" + text.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"")
                    .replacingOccurrences(of: "\n", with: "\\n") + "\""
            }
            let config = "{" + spec.parameters.keys.sorted().map { "\(quoted($0)):\(quoted(spec.parameters[$0]!))" }.joined(separator: ",") + "}"
            let params = spec.parameters.map { Param(name: $0.key, text: $0.value, number: Double($0.value)) }
            defer { nextCell += 1 }
            specs[nextCell] = spec
            return Cell(index: nextCell, config: config, params: params, seed: spec.seed, fold: spec.fold, splitSeed: 0,
                        splitID: splitIDs[spec.fold]!)
        }
        try store.enqueue(sweepID: sweep.id!, datasetID: datasetID, cells: cells)
        while let claimed = try store.claimNext(sweepID: sweep.id!, host: "test", pid: 1) {
            let spec = specs[claimed.cellIndex]!
            guard spec.status != .queued else { continue }
            let start = Date(timeIntervalSince1970: 1_800_000_000)
            var result = RunResult(status: spec.status, startedAt: start, endedAt: start.addingTimeInterval(spec.seconds))
            let finished = spec.status == .finished
            result.epochs = (1...spec.epochs).map { epoch in
                let progress = Double(epoch) / Double(spec.epochs)
                return EpochRow(epoch: epoch, trainLoss: finished ? 1 - 0.9 * progress : nil,
                                trainAccuracy: finished ? min(1, 0.4 + 0.6 * progress) : nil,
                                validationLoss: finished ? 1.1 - 0.9 * progress : nil,
                                validationAccuracy: finished ? (spec.validation ?? 0) * progress : nil,
                                learningRate: 0.1, elapsedSeconds: Double(epoch) * 0.1)
            }
            if finished {
                result.bestEpoch = spec.bestEpoch
                result.finalValidationAccuracy = spec.validation
                result.bestValidationAccuracy = spec.validation
                result.finalTrainAccuracy = 0.99
                result.testAccuracy = spec.test
                result.testConfusion = spec.confusion
                result.weights = spec.weights.map { [("final", $0)] } ?? []
                result.validationMetrics = spec.metrics
            } else {
                result.divergedEpoch = spec.status == .diverged ? 3 : nil
                result.error = spec.status == .failed ? "synthetic failure" : nil
            }
            try store.record(claimed, result)
        }
        return sweep.id!
    }
}

/// Counts the non-overlapping occurrences of `needle`.
func occurrences(of needle: String, in text: String) -> Int {
    text.components(separatedBy: needle).count - 1
}

/// A sweep whose every name — sweep, data set, features, classes, a hyperparameter and its
/// values — holds characters that make markup: `|`, `<`, `>`, `&`, quotes and newlines.
func hostileSweep(_ fixture: Fixture) throws {
    let hostile = ["a|b", "<script>alert(1)</script>", "x&y", "line1\nline2"]
    let runs = [("<img src=x>", "1&2", 0.9), ("a|b", "<i>", 0.8), ("line1\nline2", "x&y", 0.95)].flatMap { activation, odd, validation in
        (1...2).map { seed in
            RunSpec(parameters: baseline(["activation": activation, "odd|<name>&'": odd]), seed: seed,
                    validation: validation + Double(seed) / 100, test: 0.9,
                    confusion: [[1, 0, 0, 0], [0, 1, 0, 0], [0, 0, 1, 0], [0, 0, 0, 1]])
        }
    }
    try fixture.sweep("sweep|<b>bold</b>&'", runs: runs, datasetName: "data<set>&|\"", featureNames: hostile, classNames: hostile)
}
