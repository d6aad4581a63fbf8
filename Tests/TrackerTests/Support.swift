import Determinism
import Foundation
import Testing
import TestSupport
@testable import Tracker

/// Every row of `table`, every column, ordered by the first two columns (the primary key).
func allRows(_ db: Connection, _ table: String) throws -> [[SQLValue]] {
    try db.query("SELECT * FROM \(table) ORDER BY 1, 2") { s in (0..<s.columnCount).map { s.value($0) } }
}

/// A small Iris-like data set: `rows` rows of four features, three classes, labels last.
/// `variant` changes the content (and so the hash) without changing the shape.
func sampleDataset(name: String = "iris", rows: Int = 12, variant: Int = 0) -> DatasetRecord {
    let features = ["sepal_length", "sepal_width", "petal_length", "petal_width"]
    let classes = ["setosa", "versicolor", "virginica"]
    var lines = [(features + ["species"]).joined(separator: ",")]
    for row in 0..<rows {
        let label = row % 3
        let values = (0..<4).map { String(format: "%.1f", 1.0 + Double(label) * 1.5 + Double((row * 7 + $0 * 3 + variant) % 10) / 10) }
        lines.append((values + [String(label)]).joined(separator: ","))
    }
    let content = lines.joined(separator: "\n") + "\n"
    return DatasetRecord(sha256: sha256Hex(content), name: name, sourcePath: "Data/\(name).csv", rowCount: rows,
                         featureNames: features, classNames: classes, content: content)
}

/// A hyperparameter configuration, described as the sweep planner describes one: canonical
/// JSON with sorted keys, and one `params` row per hyperparameter.
struct Config {
    var learningRate: Double
    var hidden: [Int]
    var activation: String = "relu"
    var epochs: Int = 300
    var batchSize: Int = 16

    init(learningRate: Double, hidden: Int, activation: String = "relu") {
        self.init(learningRate: learningRate, hidden: [hidden], activation: activation)
    }

    init(learningRate: Double, hidden: [Int], activation: String = "relu") {
        self.learningRate = learningRate
        self.hidden = hidden
        self.activation = activation
    }

    var hiddenText: String { "[" + hidden.map(String.init).joined(separator: ", ") + "]" }

    var json: String {
        "{\"activation\":\"\(activation)\",\"batch_size\":\(batchSize),\"epochs\":\(epochs),\"hidden_layers\":\(hiddenText),\"learning_rate\":\(learningRate)}"
    }

    var params: [Param] {
        [Param(name: "activation", text: activation, number: nil),
         Param(name: "batch_size", text: String(batchSize), number: Double(batchSize)),
         Param(name: "epochs", text: String(epochs), number: Double(epochs)),
         Param(name: "hidden_layers", text: hiddenText, number: nil),
         Param(name: "learning_rate", text: "\(learningRate)", number: learningRate)]
    }
}

/// What the sweep planner stores before training: the data set, a sweep, one holdout split.
struct PreparedFixture {
    var datasetID: Int64
    var sweepID: Int64
    var splitID: Int64
}

let holdoutProtocol = "{\"split_seed\":7,\"test_fraction\":0.2,\"validation_fraction\":0.2}"

/// Stores a data set, opens a sweep called `sweep` and stores its holdout split.
func prepare(_ store: RunStore, sweep: String = "iris-lr", grid: String? = nil,
             dataset: DatasetRecord = sampleDataset()) throws -> PreparedFixture {
    let stored = try store.storeDataset(dataset)
    let record = try store.openSweep(SweepRecord(
        name: sweep, datasetID: stored.id!, grid: grid ?? "{\"name\": \"\(sweep)\"}", gridPath: "grids/\(sweep).json",
        protocolJSON: holdoutProtocol, toolVersion: "0.1.0"))
    let rows = dataset.rowCount
    let split = try store.storeSplit(datasetID: stored.id!, splitSeed: 7, protocolJSON: holdoutProtocol, fold: 0,
                                     rows: SplitRows(train: Array(0..<(rows - 4)), validation: [rows - 4, rows - 3],
                                                     test: [rows - 2, rows - 1]))
    return PreparedFixture(datasetID: stored.id!, sweepID: record.id!, splitID: split)
}

/// Cells for every configuration x seed (holdout, fold 0), in the planner's order.
func cells(_ configs: [Config], seeds: [Int], splitID: Int64, splitSeed: Int = 7) -> [Cell] {
    var cells: [Cell] = []
    for config in configs {
        for seed in seeds {
            cells.append(Cell(index: cells.count, config: config.json, params: config.params, seed: seed, fold: 0,
                              splitSeed: splitSeed, splitID: splitID))
        }
    }
    return cells
}

/// A finished run's result with a plausible learning curve ending at `validationAccuracy`.
func finishedResult(validationAccuracy: Double, testAccuracy: Double? = nil, epochs: Int = 5,
                    seconds: Double = 2, status: RunStatus = .finished) -> RunResult {
    let start = Date(timeIntervalSince1970: 1_800_000_000)
    var result = RunResult(status: status, startedAt: start, endedAt: start.addingTimeInterval(seconds))
    for epoch in 1...epochs {
        let progress = Double(epoch) / Double(epochs)
        result.epochs.append(EpochRow(epoch: epoch, trainLoss: 1.1 - 0.9 * progress, trainAccuracy: min(1, 0.4 + 0.6 * progress),
                                      validationLoss: 1.2 - 0.8 * progress, validationAccuracy: validationAccuracy * progress,
                                      learningRate: 0.1, elapsedSeconds: seconds * progress))
    }
    result.bestEpoch = epochs
    result.finalTrainLoss = 0.2
    result.finalTrainAccuracy = 1
    result.finalValidationLoss = 0.4
    result.finalValidationAccuracy = validationAccuracy
    result.bestValidationLoss = 0.4
    result.bestValidationAccuracy = validationAccuracy
    result.testLoss = 0.45
    result.testAccuracy = testAccuracy ?? validationAccuracy
    result.testConfusion = [[1, 0, 0], [0, 1, 0], [0, 0, 0]]
    result.weights = [(kind: "final", data: Data("final-\(validationAccuracy)".utf8)),
                      (kind: "best", data: Data("best-\(validationAccuracy)".utf8))]
    result.toolVersion = "0.1.0"
    result.gitCommit = "0123456789abcdef0123456789abcdef01234567"
    return result
}

/// A diverged run's result: the loss became infinite, then NaN, at `epoch`.
func divergedResult(epoch: Int = 3) -> RunResult {
    let start = Date(timeIntervalSince1970: 1_800_000_100)
    var result = RunResult(status: .diverged, startedAt: start, endedAt: start.addingTimeInterval(0.5))
    for e in 1...epoch {
        let loss: Double = e < epoch ? 2.0 * Double(e) : .infinity
        result.epochs.append(EpochRow(epoch: e, trainLoss: loss, trainAccuracy: 0.3, validationLoss: e < epoch ? loss : .nan,
                                      validationAccuracy: 0.3, learningRate: 5, elapsedSeconds: 0.1 * Double(e)))
    }
    result.divergedEpoch = epoch
    result.finalTrainLoss = .infinity
    result.finalValidationLoss = .nan
    result.error = "training loss was not finite at epoch \(epoch)"
    return result
}

/// Claims the next queued run and records `result` for it.
@discardableResult
func claimAndRecord(_ store: RunStore, sweepID: Int64, _ result: RunResult, pid: Int = 4242) throws -> ClaimedRun {
    let claim = try #require(try store.claimNext(sweepID: sweepID, host: "testhost", pid: pid))
    try store.record(claim, result)
    return claim
}

/// One result per thread, written under a lock.
final class ResultSlots<T>: @unchecked Sendable {
    var values: [Result<T, Error>?]
    init(count: Int) { values = Array(repeating: nil, count: count) }
}

/// Runs `body(0..<count)` on `count` threads released at the same moment; returns each result.
func onThreads<T>(_ count: Int, _ body: @escaping (Int) throws -> T) -> [Result<T, Error>] {
    let lock = NSLock()
    let start = DispatchSemaphore(value: 0)
    let done = DispatchGroup()
    let results = ResultSlots<T>(count: count)
    var threads: [Thread] = []
    for index in 0..<count {
        done.enter()
        let thread = Thread {
            start.wait()
            let result = Result { try body(index) }
            lock.lock()
            results.values[index] = result
            lock.unlock()
            done.leave()
        }
        thread.stackSize = 1 << 22
        threads.append(thread)
        thread.start()
    }
    for _ in 0..<count { start.signal() }
    done.wait()
    return results.values.map { $0! }
}

/// The embedded migrations, each also logging its application (version and `who`) into
/// `migration_log`, plus a synthetic last migration so that there are at least two.
func loggingMigrations(who: Int) -> [Migration] {
    var list = Migrations.all
    let next = Migrations.latestVersion + 1
    list.append(Migration(version: next, file: String(format: "%04d_synthetic.sql", next),
                          sql: "CREATE TABLE synthetic_extra (id INTEGER PRIMARY KEY, note TEXT);"))
    return list.map { migration in
        var logged = migration
        logged.sql += """

            ;
            CREATE TABLE IF NOT EXISTS migration_log (version INTEGER NOT NULL, who INTEGER NOT NULL);
            INSERT INTO migration_log (version, who) VALUES (\(migration.version), \(who));
            """
        return logged
    }
}

/// How many times each version was applied, from `migration_log`.
func appliedCounts(_ path: String) throws -> [Int: Int] {
    let connection = try Connection(path: path)
    var counts: [Int: Int] = [:]
    for (version, count) in try connection.query("SELECT version, COUNT(*) FROM migration_log GROUP BY version", [], { ($0.int(0)!, $0.int(1)!) }) {
        counts[version] = count
    }
    return counts
}
