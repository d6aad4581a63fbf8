import Foundation
import NeuralNet
import Testing
import TestSupport
@testable import Sweep
@testable import Tracker

/// `validation_fraction: 0`: accepted where nothing is chosen on validation rows (one
/// configuration, early stopping off or on rows of its own; k-fold and nested, whose folds are
/// the validation rows), refused with its key and line elsewhere.
@Suite struct NoValidationRowsTests {
    func problems(_ protocolJSON: String, values: String = #"{"epochs": [5]}"#) -> [String] {
        do {
            _ = try grid(gridText(name: "p", seeds: [1], grid: values, protocolJSON: protocolJSON))
            return []
        } catch let error as GridError {
            return error.problems.map(\.description)
        } catch {
            return ["\(error)"]
        }
    }

    @Test func oneConfigurationTrainsOnEveryNonTestRow() throws {
        let dir = temporaryDirectory()
        let db = dir.appendingPathComponent("runs.db").path
        let grid = try grid(gridText(name: "final", seeds: [1, 2], grid: #"{"hidden_layers": [[4]], "epochs": [20]}"#,
                                           protocolJSON: #"{"test_fraction": 0.2, "validation_fraction": 0, "split_seed": 0}"#))
        #expect(SweepPlanner.canonicalProtocolJSON(grid.evaluation) == #"{"split_seed":0,"test_fraction":0.2,"validation_fraction":0}"#)
        let (_, summary) = try runSweep(grid, db: db, jobs: 1)
        #expect(summary.counts == [.finished: 2])
        let store = try RunStore(path: db)
        let split = try store.split(id: try #require(try store.connection.scalar("SELECT split_id FROM runs LIMIT 1")?.int.map(Int64.init)))
        #expect(split.validation.isEmpty && split.train.count == 120 && split.test.count == 30)
        #expect(try store.connection.scalar("SELECT COUNT(*) FROM runs WHERE final_validation_accuracy IS NULL AND test_accuracy IS NOT NULL")?.int == 2)
        // The one configuration is the sweep's best (exp best, exp predict --sweep), without a validation figure.
        let best = try #require(try store.bestConfiguration(sweepID: 1))
        #expect(best.finishedRuns == 2 && best.validationAccuracyMean == nil && best.testAccuracyMean != nil)
    }

    @Test func aChoiceOrEarlyStoppingWithoutValidationRowsIsRefusedWithItsKey() {
        let holdout = #"{"test_fraction": 0.2, "validation_fraction": 0}"#
        #expect(problems(holdout, values: #"{"epochs": [5, 10]}"#) == [
            "line 1, column 102: protocol.validation_fraction: is 0, which leaves no validation rows to choose among the grid's 2 configurations; "
                + "give a validation fraction above 0, use folds (k-fold cross-validation), or train one configuration"])
        #expect(problems(holdout, values: #"{"early_stopping_patience": [10]}"#) == [
            "line 1, column 102: protocol.validation_fraction: is 0, which leaves early stopping (early_stopping_patience above 0) no rows to watch; "
                + "give early_stopping_fraction, or set early_stopping_patience to 0"])
        #expect(problems(#"{"test_fraction": 0.2, "validation_fraction": 0, "early_stopping_fraction": 0.1}"#,
                         values: #"{"early_stopping_patience": [10]}"#) == [])
        #expect(problems(#"{"validation_fraction": -0.1}"#) == ["line 1, column 80: protocol.validation_fraction: must be at least 0 and below 1"])
    }

    @Test func foldsAreTheValidationRowsSoZeroChangesNothing() throws {
        #expect(problems(#"{"folds": 3, "validation_fraction": 0.2}"#)
            == ["line 1, column 56: protocol: give either validation_fraction (holdout) or folds (k-fold cross-validation), not both"])
        let kFold = try grid(gridText(name: "p", seeds: [1], grid: #"{"epochs": [5, 10]}"#,
                                            protocolJSON: #"{"test_fraction": 0.2, "folds": 3, "refit": true, "validation_fraction": 0}"#))
        #expect(SweepPlanner.canonicalProtocolJSON(kFold.evaluation) == #"{"folds":3,"refit":true,"split_seed":0,"test_fraction":0.2}"#)
        let nested = try grid(gridText(name: "p", seeds: [1], grid: #"{"epochs": [5, 10]}"#,
                                             protocolJSON: #"{"outer_folds": 3, "inner_folds": 2, "validation_fraction": 0}"#))
        #expect(nested.evaluation.validationFraction == nil)
        #expect(problems(#"{"outer_folds": 3, "inner_folds": 2, "validation_fraction": 0.2}"#)
            == ["line 1, column 56: protocol: nested cross-validation (outer_folds, inner_folds) takes neither folds nor validation_fraction"])
    }
}
