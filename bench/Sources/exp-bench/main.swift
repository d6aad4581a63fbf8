// exp-bench: times NeuralNet.train, a sweep's training without the store, and the store,
// for bench/run.py. Every subcommand prints one JSON object on standard output.
//
//   exp-bench train --data iris|digits --hidden 8 --batch 16 --epochs 1000 --repeats 7
//   exp-bench grid --out FILE --seeds 34 [--epochs 1000] (the sweep grid of workloads 2 and 3)
//   exp-bench sweep-nostore --grid FILE --jobs 2       (the same training, nothing stored)
//   exp-bench sweep --grid FILE --db FILE --jobs 2 --flush on|off
//                                                      (`exp sweep`, with or without live epoch rows)
//   exp-bench store --db FILE --runs 10000 --epochs 100
import Datasets
import Determinism
import Dispatch
import Foundation
import NeuralNet
import Sweep
import Tracker

// MARK: Arguments

var arguments = Array(CommandLine.arguments.dropFirst())
guard let command = arguments.first else {
    FileHandle.standardError.write(Data("usage: exp-bench train|grid|sweep-nostore|sweep|store [options]\n".utf8))
    exit(2)
}
arguments.removeFirst()

func option(_ name: String, _ fallback: String) -> String {
    guard let i = arguments.firstIndex(of: "--" + name), i + 1 < arguments.count else { return fallback }
    return arguments[i + 1]
}
func intOption(_ name: String, _ fallback: Int) -> Int { Int(option(name, String(fallback)))! }

/// The repository root: two levels above this file's folder's parent (`bench/Sources/exp-bench`).
let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent().deletingLastPathComponent()

func seconds(_ d: Duration) -> Double {
    Double(d.components.seconds) + Double(d.components.attoseconds) * 1e-18
}

/// CPU seconds used by this process so far (`CLOCK_PROCESS_CPUTIME_ID`): the time a run takes
/// on a machine whose other work takes cores away.
func processCPUSeconds() -> Double {
    var t = timespec()
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t)
    return Double(t.tv_sec) + Double(t.tv_nsec) * 1e-9
}

func emit(_ object: [String: Any]) {
    let data = try! JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])
    print(String(decoding: data, as: UTF8.self))
}

func load(_ name: String) -> Dataset {
    let file = name == "iris" ? "Data/iris.data" : "Data/digits.csv"
    return try! DataFile.read(root.appendingPathComponent(file))
}

/// The training rows of a workload: Iris without every fifth row (120 rows), all of Digits
/// (1,797 rows). bench/peers.py takes the same rows.
func trainingRows(_ dataset: Dataset, name: String) -> LabeledData {
    let indices = name == "iris" ? (0..<dataset.rowCount).filter { $0 % 5 != 4 } : Array(0..<dataset.rowCount)
    let subset = dataset.rows(indices)
    return LabeledData(features: Matrix(rows: indices.count, columns: dataset.featureCount, values: subset.features),
                       labels: subset.labels)
}

// MARK: Commands

switch command {
case "train":
    // Workloads 1 and 4: one training run, timed around NeuralNet.train (scaling included),
    // one thread. One untimed run first.
    BLAS.useSingleThread()
    let name = option("data", "iris")
    let dataset = load(name)
    let data = trainingRows(dataset, name: name)
    var hp = Hyperparameters()
    hp.hiddenLayers = option("hidden", "8").split(separator: ",").map { Int($0)! }
    hp.activation = .sigmoid
    hp.loss = .crossEntropy
    hp.optimizer = .sgd
    hp.learningRate = Double(option("lr", "0.1"))!
    hp.batchSize = intOption("batch", 16)
    hp.epochs = intOption("epochs", 1000)
    let repeats = intOption("repeats", 7)
    let clock = ContinuousClock()
    var times: [Double] = [], cpuTimes: [Double] = []
    var accuracy = 0.0
    for r in 0...repeats {
        let start = clock.now, cpuStart = processCPUSeconds()
        let result = try! train(hp, on: data, validation: nil, classNames: dataset.classNames,
                                featureNames: dataset.featureNames, seed: UInt64(r + 1))
        let t = seconds(clock.now - start), cpu = processCPUSeconds() - cpuStart
        if r > 0 { times.append(t); cpuTimes.append(cpu) }
        accuracy = result.history.last!.trainAccuracy
    }
    emit(["times": times, "cpu_times": cpuTimes, "rows": data.labels.count, "epochs": hp.epochs,
          "train_accuracy": accuracy])

case "grid":
    // The sweep of workloads 2 and 3: 24 Iris configurations x `seeds` seeds, 1,000 epochs each
    // (`--epochs`: longer runs, for the live epoch rows).
    let seeds = intOption("seeds", 34)
    let epochs = intOption("epochs", 1000)
    let out = URL(fileURLWithPath: option("out", "bench-grid.json"))
    let grid = """
    {
      "name": "bench",
      "dataset": "\(root.appendingPathComponent("Data/iris.data").path)",
      "protocol": {"test_fraction": 0.2, "validation_fraction": 0.2, "split_seed": 0},
      "seeds": [\((1...seeds).map(String.init).joined(separator: ", "))],
      "grid": [
        {
          "hidden_layers": [[8]],
          "activation": ["sigmoid", "tanh", "relu"],
          "loss": ["mse", "cross_entropy"],
          "learning_rate": [0.1, 0.5],
          "batch_size": [16, 32],
          "epochs": [\(epochs)]
        }
      ]
    }

    """
    try! grid.write(to: out, atomically: true, encoding: .utf8)
    emit(["runs": 24 * seeds, "path": out.path])

case "sweep-nostore":
    // Workload 2's baseline: every cell of the grid trained by `jobs` threads exactly as a
    // sweep trains it (same split, validation set, seeds), but nothing is kept or stored.
    BLAS.useSingleThread()
    let grid = try! GridFile.load(URL(fileURLWithPath: option("grid", "bench-grid.json")))
    let jobs = intOption("jobs", 2)
    let dataset = try! DataFile.read(grid.datasetURL)
    let split = try! SweepPlanner.splits(for: grid.evaluation, dataset: dataset)[0].rows
    func labeled(_ rows: [Int]) -> LabeledData {
        let subset = dataset.rows(rows)
        return LabeledData(features: Matrix(rows: rows.count, columns: dataset.featureCount, values: subset.features),
                           labels: subset.labels)
    }
    let training = labeled(split.train), validation = labeled(split.validation)
    var cells: [(Hyperparameters, UInt64)] = []
    for configuration in grid.configurations {
        let hp = try! hyperparameters(fromConfig: canonicalJSON(configuration))
        for seed in grid.seeds { cells.append((hp, UInt64(seed))) }
    }
    let lock = NSLock()
    var next = 0
    let clock = ContinuousClock()
    let start = clock.now
    DispatchQueue.concurrentPerform(iterations: jobs) { _ in
        while true {
            lock.lock()
            let i = next
            next += 1
            lock.unlock()
            guard i < cells.count else { return }
            _ = try? train(cells[i].0, on: training, validation: validation, classNames: dataset.classNames,
                           featureNames: dataset.featureNames, seed: cells[i].1)
        }
    }
    emit(["seconds": seconds(clock.now - start), "runs": cells.count, "jobs": jobs])

case "sweep":
    // `exp sweep GRID --db FILE --jobs N --quiet` into a fresh database, with the live epoch rows
    // (`--flush on`, what exp does) or without them (`--flush off`): what the flush costs.
    BLAS.useSingleThread()
    let grid = try! GridFile.load(URL(fileURLWithPath: option("grid", "bench-grid.json")))
    let path = option("db", "bench-sweep.db")
    for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + suffix) }
    let store = try! RunStore(path: path)
    let prepared = try! SweepPlanner.prepare(grid: grid, dataset: DatasetImport.read(grid.datasetURL, options: grid.datasetOptions),
                                             store: store, toolVersion: "bench")
    let clock = ContinuousClock()
    let start = clock.now
    let summary = SweepRunner().run(prepared, store: store, options: SweepOptions(jobs: intOption("jobs", 2), toolVersion: "bench",
                                                                                  flushesEpochs: option("flush", "on") == "on"))
    let elapsed = seconds(clock.now - start)
    _ = try? store.checkpointBeforeExit()
    emit(["seconds": elapsed, "trained": summary.trained, "complete": summary.complete, "flush": option("flush", "on")])

case "store":
    // Workload 5: a synthetic database of `runs` finished runs with `epochs` metric rows each and
    // 4-8-3 weights, written through RunStore.record as a sweep writes it.
    let path = option("db", "bench-store.db")
    for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + suffix) }
    let runs = intOption("runs", 10_000), epochs = intOption("epochs", 100)
    let store = try! RunStore(path: path)
    let iris = load("iris")
    let record = try! store.storeDataset(DatasetRecord(
        sha256: iris.contentHash, name: iris.name, sourcePath: nil, rowCount: iris.rowCount,
        featureNames: iris.featureNames, classNames: iris.classNames, content: iris.canonicalCSV))
    let sweep = try! store.openSweep(SweepRecord(name: "synthetic", datasetID: record.id!, grid: "{}", gridPath: nil,
                                                 protocolJSON: "{}", toolVersion: "bench"))
    let split = try! Splitter.stratified(labels: iris.labels, classCount: 3, testFraction: 0.2, validationFraction: 0.2, seed: 0)
    let splitID = try! store.storeSplit(datasetID: record.id!, splitSeed: 0, protocolJSON: "{}", fold: 0,
                                        rows: SplitRows(train: split.train, validation: split.validation, test: split.test))
    let seedsPerConfig = 10
    var cells: [Cell] = []
    for i in 0..<runs {
        let c = i / seedsPerConfig
        let lr = 0.01 * Double(1 + c % 50), batch = 8 << (c / 50 % 4), hidden = 2 + c / 200
        let config = "{\"batch_size\":\(batch),\"hidden_layers\":[\(hidden)],\"learning_rate\":\(lr)}"
        cells.append(Cell(index: i, config: config, params: [
            Param(name: "batch_size", text: String(batch), number: Double(batch)),
            Param(name: "hidden_layers", text: "[\(hidden)]", number: nil),
            Param(name: "learning_rate", text: "\(lr)", number: lr),
        ], seed: i % seedsPerConfig + 1, fold: 0, splitSeed: 0, splitID: splitID))
    }
    _ = try! store.enqueue(sweepID: sweep.id!, datasetID: record.id!, cells: cells)
    var rng = Xoshiro256StarStar(seed: 7)
    let weights = Model(layerSizes: [4, 8, 3], activation: .sigmoid, loss: .crossEntropy,
                        weights: [Matrix(rows: 8, columns: 4, values: (0..<32).map { _ in rng.nextGaussian() }),
                                  Matrix(rows: 3, columns: 8, values: (0..<24).map { _ in rng.nextGaussian() })],
                        biases: [(0..<8).map { _ in rng.nextGaussian() }, (0..<3).map { _ in rng.nextGaussian() }],
                        scaler: FeatureScaler(shift: [0, 0, 0, 0], scale: [1, 1, 1, 1]),
                        classNames: iris.classNames, featureNames: iris.featureNames).safetensors()
    let clock = ContinuousClock()
    var recordTime = Duration.zero
    for _ in 0..<runs {
        let claim = try! store.claimNext(sweepID: sweep.id!, host: "bench", pid: 1)!
        var result = RunResult(status: .finished, startedAt: Date(), endedAt: Date())
        var loss = 1.1
        result.epochs = (1...epochs).map { e in
            loss *= 0.99
            return EpochRow(epoch: e, trainLoss: loss + rng.nextUniform() * 0.01, trainAccuracy: 0.5 + 0.5 * rng.nextUniform(),
                            validationLoss: loss + rng.nextUniform() * 0.02, validationAccuracy: 0.5 + 0.5 * rng.nextUniform(),
                            learningRate: 0.1, elapsedSeconds: Double(e) * 1e-5)
        }
        let last = result.epochs.last!
        result.finalTrainLoss = last.trainLoss
        result.finalTrainAccuracy = last.trainAccuracy
        result.finalValidationLoss = last.validationLoss
        result.finalValidationAccuracy = last.validationAccuracy
        result.bestEpoch = epochs
        result.bestValidationLoss = last.validationLoss
        result.bestValidationAccuracy = last.validationAccuracy
        result.testAccuracy = Double(20 + rng.nextIntByMultiplyShift(below: 11)) / 30
        result.testConfusion = [[10, 0, 0], [0, 9, 1], [0, 1, 9]]
        result.weights = [("final", weights), ("best", weights)]
        let start = clock.now
        try! store.record(claim, result)
        recordTime += clock.now - start
    }
    try! store.checkpoint(truncating: true)
    let fileBytes = (try! FileManager.default.attributesOfItem(atPath: path)[.size] as! NSNumber).intValue
    let metricBytes = try? store.pageBytes(of: ["epoch_metrics", "sqlite_autoindex_epoch_metrics_1"])
    let rows = runs * epochs
    emit(["runs": runs, "metric_rows": rows, "record_seconds": seconds(recordTime),
          "metric_rows_per_second": Double(rows) / seconds(recordTime),
          "file_bytes": fileBytes, "epoch_metrics_bytes": metricBytes ?? NSNull()])

default:
    FileHandle.standardError.write(Data("exp-bench: unknown command \(command)\n".utf8))
    exit(2)
}
