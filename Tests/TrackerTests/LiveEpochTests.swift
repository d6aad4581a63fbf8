import Foundation
import Testing
import TestSupport
@testable import Tracker

/// A running run's epoch rows stored while it trains (the live view's growing curves).
@Suite struct LiveEpochTests {
    /// A database with one queued run, claimed.
    private func claimedRun(in scratch: Scratch) throws -> (RunStore, ClaimedRun) {
        let store = try RunStore(path: scratch.path("runs.db"))
        let fixture = try prepare(store)
        try store.enqueue(sweepID: fixture.sweepID, datasetID: fixture.datasetID,
                          cells: cells([Config(learningRate: 0.1, hidden: 8)], seeds: [1], splitID: fixture.splitID))
        return (store, try #require(try store.claimNext(sweepID: fixture.sweepID, host: "testhost", pid: 4242)))
    }

    @Test func storedWhileHeldThenReplacedByTheRecord() throws {
        let scratch = try Scratch()
        defer { scratch.cleanup() }
        let (store, claim) = try claimedRun(in: scratch)
        let result = finishedResult(validationAccuracy: 0.75, epochs: 6)
        func stored() throws -> [Int] { try store.runDetail(id: claim.runID)?.curve.map(\.epoch) ?? [] }

        #expect(try store.storeEpochs(claim, Array(result.epochs[0..<2])))
        #expect(try stored() == [1, 2])
        #expect(try store.storeEpochs(claim, Array(result.epochs[2..<4])))
        #expect(try stored() == [1, 2, 3, 4])
        #expect(try store.runDetail(id: claim.runID)?.curve[3] == result.epochs[3])
        #expect(try store.runStatus(id: claim.runID) == .running)

        // A claim no longer held stores nothing.
        var stale = claim
        stale.token = "another token"
        #expect(try store.storeEpochs(stale, Array(result.epochs[4..<6])) == false)
        #expect(try stored() == [1, 2, 3, 4])

        try store.record(claim, result)
        #expect(try stored() == [1, 2, 3, 4, 5, 6])
        #expect(try store.runDetail(id: claim.runID)?.curve == result.epochs)
        #expect(try store.storeEpochs(claim, Array(result.epochs[0..<1])) == false, "a finished run is not written again")
    }

    /// A result keeps the rows its `epochsStored` counts (written once, by the flushes) and
    /// replaces every later one, including flushed rows beyond the count.
    @Test func theRecordKeepsTheRowsItsFlushesStored() throws {
        let scratch = try Scratch()
        defer { scratch.cleanup() }
        let (store, claim) = try claimedRun(in: scratch)
        var result = finishedResult(validationAccuracy: 0.75, epochs: 6)
        // Flushed rows marked by their elapsed time, so that the test sees which rows were kept.
        let marked = result.epochs[0..<4].map { row -> EpochRow in
            var row = row
            row.elapsedSeconds = 1000 + Double(row.epoch)
            return row
        }
        #expect(try store.storeEpochs(claim, marked))
        result.epochsStored = 3
        try store.record(claim, result)
        let curve = try #require(try store.runDetail(id: claim.runID)?.curve)
        #expect(curve == Array(marked[0..<3]) + Array(result.epochs[3..<6]))
        #expect(try store.runDetail(id: claim.runID)?.summary.first { $0.name == "epochs_run" }?.value == .integer(6))
    }
}
