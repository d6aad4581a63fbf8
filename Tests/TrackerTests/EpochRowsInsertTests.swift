import Foundation
import Testing
import TestSupport
@testable import Tracker

/// Epoch rows are inserted several per statement (``RunStore/insertEpochRows(runID:_:replacing:)``):
/// the rows stored are those one `INSERT` per row stored before, value by value.
@Suite struct EpochRowsInsertTests {
    /// Every stored column of a run's epoch rows, in epoch order: the value's type and, for a
    /// real, its bits (so -0.0, infinities and the last bit count).
    private func storedRows(_ store: RunStore, runID: Int64) throws -> [[String]] {
        try store.connection.query("SELECT * FROM epoch_metrics WHERE run_id = ? ORDER BY epoch", [.integer(runID)]) { s in
            (1..<s.columnCount).map { column -> String in
                switch s.value(column) {
                case .null: return "null"
                case .integer(let v): return "integer \(v)"
                case .real(let v): return "real \(v.bitPattern)"
                case .text(let v): return "text \(v)"
                case .blob(let v): return "blob \(v)"
                }
            }
        }
    }

    /// The rows of `result`, with awkward values: NaN (stored as NULL), infinities, -0.0,
    /// missing values and values that need all 17 digits.
    private func awkward(_ result: RunResult) -> RunResult {
        var result = result
        for index in result.epochs.indices {
            switch index % 5 {
            case 0: result.epochs[index].trainLoss = .infinity
            case 1: result.epochs[index].validationLoss = .nan
            case 2: result.epochs[index].learningRate = -0.0
            case 3: result.epochs[index].validationAccuracy = nil
            default: result.epochs[index].elapsedSeconds = 0.1 + 0.2 + Double(index) * 1e-17
            }
        }
        return result
    }

    @Test(arguments: [1, 49, 50, 51, 100, 137])
    func multiRowInsertsStoreTheRowsOneInsertPerRowStored(epochs: Int) throws {
        let scratch = try Scratch()
        defer { scratch.cleanup() }
        let store = try RunStore(path: scratch.path("runs.db"))
        let fixture = try prepare(store)
        try store.enqueue(sweepID: fixture.sweepID, datasetID: fixture.datasetID,
                          cells: cells([Config(learningRate: 0.1, hidden: 8)], seeds: [1, 2, 3], splitID: fixture.splitID))
        let recorded = try #require(try store.claimNext(sweepID: fixture.sweepID, host: "testhost", pid: 4242))
        let reference = try #require(try store.claimNext(sweepID: fixture.sweepID, host: "testhost", pid: 4242))
        let result = awkward(finishedResult(validationAccuracy: 0.75, epochs: epochs))

        try store.record(recorded, result)
        // The code before multi-row INSERTs: one statement per row.
        for row in result.epochs {
            try store.connection.run("""
                INSERT INTO epoch_metrics (run_id, epoch, train_loss, train_accuracy, validation_loss, validation_accuracy,
                                           learning_rate, elapsed_seconds) VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                """, [.integer(reference.runID), .of(row.epoch), .of(row.trainLoss), .of(row.trainAccuracy), .of(row.validationLoss),
                      .of(row.validationAccuracy), .of(row.learningRate), .of(row.elapsedSeconds)])
        }
        let expected = try storedRows(store, runID: reference.runID)
        #expect(expected.count == epochs)
        #expect(try storedRows(store, runID: recorded.runID) == expected)

        // The live flush's INSERT OR REPLACE, in two parts, stores the same rows too.
        let flushed = try #require(try store.claimNext(sweepID: fixture.sweepID, host: "testhost", pid: 4242))
        #expect(try store.storeEpochs(flushed, Array(result.epochs.prefix(epochs / 2))))
        #expect(try store.storeEpochs(flushed, Array(result.epochs.suffix(epochs - epochs / 2))))
        #expect(try storedRows(store, runID: flushed.runID) == expected)
    }
}
