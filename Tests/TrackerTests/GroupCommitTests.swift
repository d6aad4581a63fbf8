import Foundation
import Testing
import TestSupport
@testable import Tracker

/// Several runs' work stored in one transaction (``RunStore/store(_:)``), each run's part in its
/// own savepoint.
@Suite struct GroupCommitTests {
    /// A store with a sweep of `runs` queued runs, all claimed.
    private func claimed(_ runs: Int, in scratch: Scratch) throws -> (RunStore, [ClaimedRun]) {
        let store = try RunStore(path: scratch.path("runs.db"))
        let fixture = try prepare(store)
        try store.enqueue(sweepID: fixture.sweepID, datasetID: fixture.datasetID,
                          cells: cells([Config(learningRate: 0.1, hidden: 8)], seeds: Array(1...runs), splitID: fixture.splitID))
        let claims = try (1...runs).map { _ in try #require(try store.claimNext(sweepID: fixture.sweepID, host: "testhost", pid: 4242)) }
        return (store, claims)
    }

    private func name(_ outcome: RunWriteOutcome) -> String {
        switch outcome {
        case .stored: return "stored"
        case .claimLost: return "lost"
        case .failed: return "failed"
        }
    }

    @Test func aLostClaimOrABadValueDropsOnlyThatRunsPart() throws {
        let scratch = try Scratch()
        defer { scratch.cleanup() }
        let (store, claims) = try claimed(4, in: scratch)
        // Run 2's claim is lost (stored interrupted); run 3's result breaks a CHECK.
        try store.markInterrupted([claims[1]])
        var bad = finishedResult(validationAccuracy: 0.5)
        bad.finalValidationAccuracy = 2
        let results = [finishedResult(validationAccuracy: 0.9), finishedResult(validationAccuracy: 0.8), bad,
                       finishedResult(validationAccuracy: 0.7, epochs: 3)]

        let outcomes = try store.store(zip(claims, results).map { RunWrite.result($0, $1) })
        #expect(outcomes.count == 4)
        #expect(outcomes.map(name) == ["stored", "lost", "failed", "stored"])
        if case .failed(let error) = outcomes[2] { #expect(error is SQLiteError) }

        #expect(try claims.map { try store.runStatus(id: $0.runID) } == [.finished, .interrupted, .running, .finished])
        #expect(try store.runDetail(id: claims[0].runID)?.curve == results[0].epochs)
        #expect(try store.runDetail(id: claims[1].runID)?.curve == [])
        #expect(try store.runDetail(id: claims[2].runID)?.curve == [], "the failed run's epoch rows were rolled back")
        #expect(try store.runDetail(id: claims[3].runID)?.curve == results[3].epochs)
        #expect(try store.weights(runID: claims[3].runID) == results[3].weights[0].data)
        #expect(!store.connection.isInTransaction)
    }

    @Test func aResultWinsOverAFlushOfTheSameRunInEitherOrder() throws {
        let scratch = try Scratch()
        defer { scratch.cleanup() }
        let (store, claims) = try claimed(2, in: scratch)
        let results = [finishedResult(validationAccuracy: 0.9, epochs: 6), finishedResult(validationAccuracy: 0.8, epochs: 6)]
        // Rows of the same epochs with other values, and one epoch past the result's last.
        let flushed = (1...7).map { EpochRow(epoch: $0, trainLoss: 9, trainAccuracy: 0, validationLoss: 9, validationAccuracy: 0,
                                             learningRate: 1, elapsedSeconds: 99) }

        let outcomes = try store.store([.epochs(claims[0], flushed), .result(claims[0], results[0]),
                                        .result(claims[1], results[1]), .epochs(claims[1], flushed)])
        #expect(outcomes.map(name) == ["stored", "stored", "stored", "lost"])
        #expect(try store.runDetail(id: claims[0].runID)?.curve == results[0].epochs)
        #expect(try store.runDetail(id: claims[1].runID)?.curve == results[1].epochs)
    }

    @Test func anEmptyBatchStoresNothing() throws {
        let scratch = try Scratch()
        defer { scratch.cleanup() }
        let (store, claims) = try claimed(1, in: scratch)
        #expect(try store.store([]).isEmpty)
        #expect(try store.runStatus(id: claims[0].runID) == .running)
    }
}
