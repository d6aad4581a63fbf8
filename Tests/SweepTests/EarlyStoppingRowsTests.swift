import Foundation
import NeuralNet
import Testing
import TestSupport
@testable import Sweep
@testable import Tracker

/// `early_stopping_fraction`: early stopping watches rows held out of training, never the rows
/// a run is ranked or scored on.
@Suite struct EarlyStoppingRowsTests {
    static let protocolJSON = #"{"test_fraction": 0.2, "folds": 3, "early_stopping_fraction": 0.25}"#

    @Test func theKeyIsCheckedAndStoredOnlyWhenGiven() throws {
        let given = try grid(gridText(name: "p", seeds: [1], grid: #"{"epochs": [5]}"#, protocolJSON: Self.protocolJSON))
        #expect(SweepPlanner.canonicalProtocolJSON(given.evaluation)
            == #"{"early_stopping_fraction":0.25,"folds":3,"split_seed":0,"test_fraction":0.2}"#)
        #expect(throws: GridError.self) {
            try grid(gridText(name: "p", seeds: [1], grid: #"{"epochs": [5]}"#,
                              protocolJSON: #"{"folds": 3, "early_stopping_fraction": 1}"#))
        }
        let error = try #require(throws: GridError.self) {
            try grid(gridText(name: "p", seeds: [1], grid: #"{"epochs": [5]}"#,
                              protocolJSON: #"{"folds": 3, "early_stopping_fraction": 0}"#))
        }
        #expect(error.problems.map(\.description) == ["line 1, column 96: protocol.early_stopping_fraction: must be above 0 and below 1"])
    }

    @Test func earlyStoppingRowsComeOutOfTheTrainingRowsOnly() throws {
        let plain = try grid(gridText(name: "p", seeds: [1], grid: #"{"epochs": [5]}"#,
                                      protocolJSON: #"{"test_fraction": 0.2, "folds": 3, "refit": true}"#))
        let held = try grid(gridText(name: "p", seeds: [1], grid: #"{"epochs": [5]}"#,
                                     protocolJSON: #"{"test_fraction": 0.2, "folds": 3, "refit": true, "early_stopping_fraction": 0.25}"#))
        let dataset = try loadDataset(plain)
        let before = try SweepPlanner.splits(for: plain.evaluation, dataset: dataset)
        let after = try SweepPlanner.splits(for: held.evaluation, dataset: dataset)
        #expect(before.allSatisfy { $0.rows.earlyStopping.isEmpty })
        for (old, new) in zip(before, after) {
            #expect(new.rows.validation == old.rows.validation)
            #expect(new.rows.test == old.rows.test)
            if new.phase == .refit {
                #expect(new.rows == old.rows)
            } else {
                #expect(Set(new.rows.train + new.rows.earlyStopping) == Set(old.rows.train))
                #expect(Set(new.rows.train).isDisjoint(with: new.rows.earlyStopping))
                // 80 training rows, about 27 per class: a quarter of each class is 7 rows.
                #expect(new.rows.earlyStopping.count == 21)
                let classes = Set(new.rows.earlyStopping.map { dataset.labels[$0] })
                #expect(classes == [0, 1, 2])
            }
        }
    }

    @Test func earlyStoppingWatchesItsRowsAndTheValidationRowsAreScoredByTheFinalModel() throws {
        let dir = temporaryDirectory()
        let db = dir.appendingPathComponent("runs.db").path
        let grid = try grid(gridText(name: "es", seeds: [1], grid: #"{"epochs": [60], "early_stopping_patience": [3], "learning_rate": [0.5]}"#,
                                     protocolJSON: Self.protocolJSON))
        let (_, summary) = try runSweep(grid, db: db, jobs: 2)
        #expect(summary.counts == [.finished: 3])
        let store = try RunStore(path: db)
        let dataset = try loadDataset(grid)
        func data(_ rows: [Int]) -> LabeledData {
            let subset = dataset.rows(rows)
            return LabeledData(features: Matrix(rows: rows.count, columns: dataset.featureCount, values: subset.features), labels: subset.labels)
        }
        let runs = try store.connection.query("""
            SELECT run_id, split_id, final_validation_accuracy, best_epoch, epochs_run FROM runs
            """) { s in (try s.id("run_id")!, try s.id("split_id")!, try s.double("final_validation_accuracy")!, try s.int("best_epoch")!, try s.int("epochs_run")!) }
        for (runID, splitID, validationAccuracy, bestEpoch, epochsRun) in runs {
            let rows = try store.split(id: splitID)
            #expect(!rows.earlyStopping.isEmpty)
            let model = try Model(safetensors: store.weights(runID: runID))
            #expect(model.evaluate(data(rows.validation)) == validationAccuracy)
            // The stored curve is measured on the early-stopping rows: the final model's accuracy
            // on them is the curve's at the epoch it ended with.
            let stopped = epochsRun < 60
            let epoch = stopped ? bestEpoch : epochsRun
            let curve = try #require(try store.runDetail(id: runID)?.curve.first { $0.epoch == epoch })
            #expect(curve.validationAccuracy == model.evaluate(data(rows.earlyStopping)))
        }
    }
}
