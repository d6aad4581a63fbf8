import Foundation
import Testing
import TestSupport
@testable import Sweep
import Tracker

/// The runner's writer stores every piece of work waiting for it in one transaction and reports
/// each result's event once that transaction is committed.
@Suite struct WriterBatchTests {
    /// A stored sweep of `runs` Iris runs, all claimed by this test.
    private func claimed(_ runs: Int, in dir: URL) throws -> (RunStore, [ClaimedRun]) {
        let (store, claims, _) = try claimedSweep(runs, in: dir)
        return (store, claims)
    }

    /// The same, with the sweep's id.
    private func claimedSweep(_ runs: Int, in dir: URL) throws -> (RunStore, [ClaimedRun], Int64) {
        let store = try RunStore(path: dir.appendingPathComponent("runs.db").path)
        let file = try grid(gridText(name: "batch", seeds: Array(1...runs), grid: #"{"hidden_layers": [[4]], "epochs": [5]}"#))
        let sweep = try SweepPlanner.prepare(grid: file, dataset: loadDataset(file), store: store, toolVersion: "test")
        let claims = try (1...runs).map { _ in try #require(try store.claimNext(sweepID: sweep.sweepID, host: "testhost", pid: 4242)) }
        return (store, claims, sweep.sweepID)
    }

    /// A finished result with `epochs` epoch rows whose training loss is `loss`.
    private func result(epochs: Int, loss: Double, accuracy: Double) -> RunResult {
        let start = Date(timeIntervalSince1970: 1_800_000_000)
        var result = RunResult(status: .finished, startedAt: start, endedAt: start.addingTimeInterval(1))
        result.epochs = (1...epochs).map { EpochRow(epoch: $0, trainLoss: loss, trainAccuracy: 0.5, validationLoss: loss,
                                                   validationAccuracy: accuracy, learningRate: 0.1, elapsedSeconds: Double($0)) }
        result.finalValidationAccuracy = accuracy
        return result
    }

    @Test func aLostClaimDropsOnlyItsResultAndEventsFollowTheCommit() throws {
        let dir = temporaryDirectory()
        let (store, claims) = try claimed(3, in: dir)
        try store.markInterrupted([claims[1]])
        let results = [result(epochs: 5, loss: 0.3, accuracy: 0.9), result(epochs: 5, loss: 0.4, accuracy: 0.8),
                       result(epochs: 5, loss: 0.5, accuracy: 0.7)]
        let log = EventLog()
        // Each event is checked against the database when it is reported: what it reports is committed.
        let reader = try RunStore(path: store.path, readOnly: true)
        let seen = StatusLog()
        SweepRunner().storeBatch(zip(claims, results).map { RunWrite.result($0, $1) }, store: store) { event in
            log.append(event)
            switch event {
            case .finished(let id, _), .resultDropped(let id): seen.append(try? reader.runStatus(id: id))
            default: seen.append(nil)
            }
        }
        #expect(log.events == [.finished(runID: claims[0].runID, validationAccuracy: 0.9), .resultDropped(runID: claims[1].runID),
                               .finished(runID: claims[2].runID, validationAccuracy: 0.7)])
        #expect(seen.statuses == [.finished, .interrupted, .finished])
        #expect(try claims.map { try store.runStatus(id: $0.runID) } == [.finished, .interrupted, .finished])
        #expect(try store.runDetail(id: claims[2].runID)?.curve == results[2].epochs)
    }

    @Test func aFlushAndTheResultOfOneRunInOneBatchKeepTheResultsRows() throws {
        let dir = temporaryDirectory()
        let (store, claims) = try claimed(1, in: dir)
        let final = result(epochs: 5, loss: 0.3, accuracy: 0.9)
        let flushed = result(epochs: 5, loss: 7, accuracy: 0.1).epochs + [EpochRow(epoch: 6, trainLoss: 7, trainAccuracy: 0,
            validationLoss: 7, validationAccuracy: 0, learningRate: 0.1, elapsedSeconds: 6)]
        let log = EventLog()
        SweepRunner().storeBatch([.epochs(claims[0], flushed), .result(claims[0], final)], store: store, events: log.append)
        #expect(log.events == [.finished(runID: claims[0].runID, validationAccuracy: 0.9)], "a flush reports no event")
        #expect(try store.runDetail(id: claims[0].runID)?.curve == final.epochs)
        #expect(try store.runStatus(id: claims[0].runID) == .finished)
    }

    /// The result's rows with those of `epochs` marked (elapsed time + 1000), as a flush whose
    /// rows the test can tell apart once stored.
    private func marked(_ result: RunResult, _ epochs: ClosedRange<Int>) -> [EpochRow] {
        result.epochs.filter { epochs.contains($0.epoch) }.map { row in
            var row = row
            row.elapsedSeconds = (row.elapsedSeconds ?? 0) + 1000
            return row
        }
    }

    @Test func aResultKeepsTheRowsItsClaimsFlushesStored() throws {
        let dir = temporaryDirectory()
        let (store, claims) = try claimed(1, in: dir)
        let final = result(epochs: 8, loss: 0.3, accuracy: 0.9)
        let runner = SweepRunner()
        runner.storeBatch([.epochs(claims[0], marked(final, 1...3))], store: store) { _ in }
        runner.storeBatch([.epochs(claims[0], marked(final, 4...6))], store: store) { _ in }
        runner.storeBatch([.result(claims[0], final)], store: store) { _ in }
        // Epochs 1-6 are the flushes' rows (written once), 7-8 the result's.
        #expect(try store.runDetail(id: claims[0].runID)?.curve == marked(final, 1...6) + final.epochs[6...])
        #expect(try store.runStatus(id: claims[0].runID) == .finished)
    }

    @Test func aFlushThatWasNotStoredMakesTheResultWriteEveryRow() throws {
        let dir = temporaryDirectory()
        let (store, claims) = try claimed(1, in: dir)
        let final = result(epochs: 8, loss: 0.3, accuracy: 0.9)
        var broken = marked(final, 4...6)
        broken[0].epoch = 0 // outside the column's CHECK (epoch >= 1): this flush is not stored
        let runner = SweepRunner()
        runner.storeBatch([.epochs(claims[0], marked(final, 1...3))], store: store) { _ in }
        runner.storeBatch([.epochs(claims[0], broken)], store: store) { _ in }
        runner.storeBatch([.epochs(claims[0], marked(final, 7...7))], store: store) { _ in }
        runner.storeBatch([.result(claims[0], final)], store: store) { _ in }
        #expect(try store.runDetail(id: claims[0].runID)?.curve == final.epochs)
    }

    @Test func aFlushOfAnotherClaimOfTheRunIsNotKept() throws {
        let dir = temporaryDirectory()
        let (store, claims, sweepID) = try claimedSweep(1, in: dir)
        let final = result(epochs: 5, loss: 0.3, accuracy: 0.9)
        let runner = SweepRunner()
        runner.storeBatch([.epochs(claims[0], marked(final, 1...3))], store: store) { _ in }
        // The run is interrupted, queued again and claimed anew: the new claim's result
        // replaces the old claim's flushed rows.
        try store.markInterrupted([claims[0]])
        _ = try store.requeueUnfinished(sweepID: sweepID, observer: ClaimOwner.thisProcess()) { _ in true }
        let again = try #require(try store.claimNext(sweepID: sweepID, host: "testhost", pid: 4242))
        #expect(again.runID == claims[0].runID)
        runner.storeBatch([.result(again, final)], store: store) { _ in }
        #expect(try store.runDetail(id: claims[0].runID)?.curve == final.epochs)
    }
}

/// Run statuses seen by a reader while events were reported.
private final class StatusLog: @unchecked Sendable {
    private let lock = NSLock()
    private var list: [RunStatus?] = []
    func append(_ status: RunStatus?) { lock.withLock { list.append(status) } }
    var statuses: [RunStatus?] { lock.withLock { list } }
}
