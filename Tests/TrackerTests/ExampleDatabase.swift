import Foundation
import Determinism
@testable import Tracker

/// A `runs.db` filled through ``RunStore`` the way a few real sweeps would fill it:
///
/// - `iris`: hidden layers [3] and [8] x learning rates 0.01, 0.1, 0.5 and 5 x seeds 1-3
///   (24 runs). Learning rate 5 diverges for seeds 1 and 2; one run failed; the last two cells
///   are still queued.
/// - `iris-width`: hidden layers [3], [8] and [16, 8] at learning rate 0.1 x seeds 1-3, all
///   finished (9 runs); two of its configurations are also in `iris`.
/// - `iris-nested`: nested cross-validation, 2 outer x 2 inner folds, hidden layers [3] and [8]
///   at learning rate 0.1, seed 1 (8 search runs); each outer fold chose [8] and its refit
///   run scored 72 of its 75 outer test rows.
/// - `iris-halving`: successive halving over hidden layers [3], [8], [16] and [16, 8] at learning
///   rate 0.1, seed 1, budgets of 3 and 9 epochs (factor 3): the rung at 3 epochs promoted the
///   best configuration, whose run trained on to 9 epochs; the other three were pruned.
///
/// Tags and notes: `iris` has the sweep tags `stage=baseline` and `owner=ana` and a note;
/// its finished runs at learning rate 0.1 are tagged `reviewed=yes`, and run 1 has a note.
///
/// Metrics follow a deterministic formula, so the same file is built every time.
enum ExampleDatabase {
    static let lrRates = [0.01, 0.1, 0.5, 5.0]
    static let lrHidden = [[3], [8]]
    static let widthHidden = [[3], [8], [16, 8]]

    /// Validation accuracy of a configuration and seed (in [0, 1]).
    static func accuracy(_ config: Config, seed: Int) -> Double {
        let depth = Double(config.hidden.reduce(0, +)) / 24
        let rate = config.learningRate == 0.1 ? 0.06 : config.learningRate == 0.5 ? 0.03 : 0
        return min(1, 0.83 + depth * 0.1 + rate + Double(seed % 3) * 0.0333)
    }

    static func result(_ config: Config, seed: Int, cellIndex: Int) -> RunResult {
        let accuracy = (accuracy(config, seed: seed) * 30).rounded() / 30  // whole validation rows out of 30
        let epochs = 10
        let seconds = 1.5 + Double(config.hidden.reduce(0, +)) * 0.25 + Double(cellIndex % 5) * 0.1
        let start = Date(timeIntervalSince1970: 1_800_000_000 + Double(cellIndex) * 60)
        var result = RunResult(status: .finished, startedAt: start, endedAt: start.addingTimeInterval(seconds))
        for epoch in 1...epochs {
            let t = Double(epoch) / Double(epochs)
            result.epochs.append(EpochRow(
                epoch: epoch, trainLoss: 1.1 * (1 - t) + 0.05, trainAccuracy: min(1, 0.35 + 0.65 * t),
                validationLoss: 1.15 * (1 - t) + 0.08, validationAccuracy: min(1, 0.33 + (accuracy - 0.33) * t),
                learningRate: config.learningRate, elapsedSeconds: seconds * t))
        }
        result.bestEpoch = epochs
        result.finalTrainLoss = 0.05
        result.finalTrainAccuracy = 1
        result.finalValidationLoss = 0.08
        result.finalValidationAccuracy = accuracy
        result.bestValidationLoss = 0.08
        result.bestValidationAccuracy = accuracy
        result.testLoss = 0.1
        result.testAccuracy = max(0, accuracy - 0.0333)
        result.testConfusion = [[10, 0, 0], [0, 9, 1], [0, 1, 9]]
        result.weights = [(kind: "final", data: Data("safetensors final \(cellIndex)".utf8)),
                          (kind: "best", data: Data("safetensors best \(cellIndex)".utf8))]
        result.toolVersion = "0.1.0"
        result.gitCommit = "4c1d2e3f4c1d2e3f4c1d2e3f4c1d2e3f4c1d2e3f"
        return result
    }

    /// Builds the database at `path`.
    @discardableResult
    static func build(at path: String) throws -> RunStore {
        let store = try RunStore(path: path)
        let dataset = try store.storeDataset(sampleDataset(name: "iris", rows: 150))
        let protocolJSON = "{\"split_seed\":0,\"test_fraction\":0.2,\"validation_fraction\":0.2}"
        let rows = Array(0..<150)
        let split = try store.storeSplit(datasetID: dataset.id!, splitSeed: 0, protocolJSON: protocolJSON, fold: 0,
                                         rows: SplitRows(train: rows.filter { $0 % 5 >= 2 }, validation: rows.filter { $0 % 5 == 0 },
                                                         test: rows.filter { $0 % 5 == 1 }))
        for (name, configs) in [
            ("iris", lrHidden.flatMap { hidden in lrRates.map { Config(learningRate: $0, hidden: hidden) } }),
            ("iris-width", widthHidden.map { Config(learningRate: 0.1, hidden: $0) }),
        ] {
            let sweep = try store.openSweep(SweepRecord(
                name: name, datasetID: dataset.id!, grid: "{\"name\": \"\(name)\", \"dataset\": \"../iris.data\"}",
                gridPath: "Data/grids/\(name).json", protocolJSON: protocolJSON, toolVersion: "0.1.0"))
            let queued = cells(configs, seeds: [1, 2, 3], splitID: split, splitSeed: 0)
            try store.addGridVersion(sweepID: sweep.id!, canonical: "{\"dataset\":\"../iris.data\",\"name\":\"\(name)\"}", grid: sweep.grid,
                                     gridPath: sweep.gridPath, firstSeenAt: "2026-11-29T09:10:19.123Z", firstCellIndex: 0,
                                     cellsAdded: queued.count)
            try store.queueNextCells(sweepID: sweep.id!, datasetID: dataset.id!) { _, _ in queued }
            let toTrain = name == "iris" ? queued.count - 2 : queued.count
            for _ in 0..<toTrain {
                guard let claim = try store.claimNext(sweepID: sweep.id!, host: "lab-1", pid: 4242) else { break }
                let cell = queued[claim.cellIndex]
                let config = configs[claim.cellIndex / 3]
                var outcome = result(config, seed: cell.seed, cellIndex: claim.cellIndex)
                if config.learningRate == 5, cell.seed < 3 {
                    outcome = divergedResult(epoch: 2 + cell.seed)
                } else if name == "iris", claim.cellIndex == 4 {
                    outcome = RunResult(status: .failed, startedAt: outcome.startedAt, endedAt: outcome.startedAt.addingTimeInterval(0.2))
                    outcome.error = "split has no rows of class virginica"
                }
                try store.record(claim, outcome)
            }
        }
        try buildNested(store, datasetID: dataset.id!)
        try buildHalving(store, datasetID: dataset.id!, splitID: split)
        try store.setTags([("stage", "baseline"), ("owner", "ana")], on: .sweep("iris"))
        try store.setNote("Learning rate 5 diverges for two of three seeds.", on: .sweep("iris"))
        let reviewed = try store.runSummaries(RunSelection(sweep: "iris", status: .finished, conditions: [
            .init(field: .configuration(key: "learning_rate", fallback: .null), comparison: .equal, value: .real(0.1))]))
        for run in reviewed { try store.setTags([("reviewed", "yes")], on: .run(run.runID)) }
        try store.setNote("Checked by hand: its curve is smooth.", on: .run(1))
        return store
    }

    /// The `iris-nested` sweep: search runs on the inner folds, then one selection and one
    /// refit run per outer fold.
    static func buildNested(_ store: RunStore, datasetID: Int64) throws {
        let protocolJSON = "{\"inner_folds\":2,\"outer_folds\":2,\"split_seed\":0,\"test_fraction\":0}"
        let sweep = try store.openSweep(SweepRecord(
            name: "iris-nested", datasetID: datasetID, grid: "{\"name\": \"iris-nested\", \"dataset\": \"../iris.data\"}",
            gridPath: "Data/grids/iris-nested.json", protocolJSON: protocolJSON, toolVersion: "0.1.0"))
        let configs = [Config(learningRate: 0.1, hidden: [3]), Config(learningRate: 0.1, hidden: [8])]
        let rows = Array(0..<150)
        var search: [Cell] = [], refitSplits: [Int: Int64] = [:]
        for outer in 1...2 {
            let outerTrain = rows.filter { $0 % 2 != outer - 1 }, outerTest = rows.filter { $0 % 2 == outer - 1 }
            refitSplits[outer] = try store.storeSplit(datasetID: datasetID, splitSeed: 0, protocolJSON: protocolJSON, outerFold: outer,
                                                      fold: 0, rows: SplitRows(train: outerTrain, validation: [], test: outerTest))
            for inner in 1...2 {
                let split = try store.storeSplit(
                    datasetID: datasetID, splitSeed: 0, protocolJSON: protocolJSON, outerFold: outer, fold: inner,
                    rows: SplitRows(train: outerTrain.filter { ($0 / 2) % 2 != inner - 1 },
                                    validation: outerTrain.filter { ($0 / 2) % 2 == inner - 1 }, test: []))
                for config in configs {
                    search.append(Cell(index: 0, config: config.json, params: config.params, seed: 1, fold: inner, splitSeed: 0,
                                       splitID: split, outerFold: outer))
                }
            }
        }
        for index in search.indices { search[index].index = index }
        try store.enqueue(sweepID: sweep.id!, datasetID: datasetID, cells: search)
        func train(_ cells: [Cell], test: Bool) throws {
            while let claim = try store.claimNext(sweepID: sweep.id!, host: "lab-1", pid: 4242) {
                let cell = cells.first { $0.index == claim.cellIndex }!
                var outcome = result(configs.first { $0.json == cell.config } ?? configs[1], seed: cell.fold, cellIndex: claim.cellIndex)
                if test {
                    outcome.testConfusion = [[25, 0, 0], [0, 23, 2], [0, 1, 24]]
                    outcome.testAccuracy = 72.0 / 75
                    (outcome.finalValidationAccuracy, outcome.finalValidationLoss) = (nil, nil)
                    (outcome.bestValidationAccuracy, outcome.bestValidationLoss) = (nil, nil)
                } else {
                    (outcome.testConfusion, outcome.testAccuracy, outcome.testLoss) = (nil, nil, nil)
                }
                try store.record(claim, outcome)
            }
        }
        try train(search, test: false)
        for outer in 1...2 {
            let best = try store.leaderboard(sweepID: sweep.id!, repeat: 0, outerFold: outer)[0]
            let refit = Cell(index: search.count + outer - 1, config: best.config, params: configs[1].params, seed: 1, fold: 0,
                             splitSeed: 0, splitID: refitSplits[outer]!, outerFold: outer, phase: .refit)
            try store.recordSelection(sweepID: sweep.id!, datasetID: datasetID, Selection(
                repeat: 0, outerFold: outer, configSHA256: best.configSHA256, config: best.config, refitEpochs: 10, candidates: 2),
                refitCells: [refit])
            try train([refit], test: true)
        }
    }

    /// The `iris-halving` sweep: rung 0 at 3 epochs decided by ``RunStore/decideRung``, the
    /// promoted run continued to 9 epochs from its checkpoint.
    static func buildHalving(_ store: RunStore, datasetID: Int64, splitID: Int64) throws {
        let protocolJSON = "{\"split_seed\":0,\"test_fraction\":0.2,\"validation_fraction\":0.2}"
        let sweep = try store.openSweep(SweepRecord(
            name: "iris-halving", datasetID: datasetID, grid: "{\"name\": \"iris-halving\", \"dataset\": \"../iris.data\"}",
            gridPath: "Data/grids/iris-halving.json", protocolJSON: protocolJSON, toolVersion: "0.1.0"))
        let configs = [[3], [8], [16], [16, 8]].map { Config(learningRate: 0.1, hidden: $0) }
        try store.enqueue(sweepID: sweep.id!, datasetID: datasetID, cells: cells(configs, seeds: [1], splitID: splitID, splitSeed: 0))
        func outcome(_ cellIndex: Int, epochs: Int) -> RunResult {
            var outcome = result(configs[cellIndex], seed: 1, cellIndex: cellIndex)
            outcome.epochs = Array(outcome.epochs.prefix(epochs))
            outcome.checkpoint = Data("training state \(cellIndex) after \(epochs)".utf8)
            return outcome
        }
        while let claim = try store.claimNext(sweepID: sweep.id!, host: "lab-1", pid: 4242) {
            try store.record(claim, outcome(claim.cellIndex, epochs: 3))
        }
        _ = try store.decideRung(sweepID: sweep.id!, bracket: 0, rung: 0, budgetEpochs: 3,
                                 configurations: configs.map { sha256Hex($0.json) }, runsPerConfiguration: 1, promote: 1)
        while let claim = try store.claimNext(sweepID: sweep.id!, host: "lab-1", pid: 4242) {
            var continued = outcome(claim.cellIndex, epochs: 9)
            continued.epochs = Array(continued.epochs.suffix(6))
            continued.continuedFromEpoch = 3
            try store.record(claim, continued)
        }
    }
}
