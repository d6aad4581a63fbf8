import Foundation
import Testing
import TestSupport
@testable import Tracker

/// A run's revision: what `exp serve` keeps a finished run's answers by. It must change with
/// every change to what is stored of the run, and it must not exist while the run is written.
@Suite struct RunRevisionTests {
    let scratch: Scratch
    let store: RunStore

    init() throws {
        scratch = try Scratch()
        store = try RunStore(path: scratch.path("runs.db"))
    }

    @Test func aRunHasARevisionOnlyOnceItEndedAndEveryAttemptHasAnotherOne() throws {
        defer { scratch.cleanup() }
        let fixture = try prepare(store)
        try store.enqueue(sweepID: fixture.sweepID, datasetID: fixture.datasetID,
                          cells: cells([Config(learningRate: 0.1, hidden: 8)], seeds: [1], splitID: fixture.splitID))
        let runID = Int64(try #require(try store.connection.scalar("SELECT run_id FROM runs")?.int))
        #expect(try store.runRevision(id: runID) == nil, "queued")
        #expect(try store.runRevision(id: runID + 1) == nil, "no such run")

        var failed = finishedResult(validationAccuracy: 0.9)
        failed.status = .failed
        failed.error = "out of memory"
        let claim = try #require(try store.claimNext(sweepID: fixture.sweepID, host: "testhost", pid: 1))
        try store.storeEpochs(claim, Array(failed.epochs.prefix(2)))
        #expect(try store.runRevision(id: runID) == nil, "running, its epoch rows flushed as it trains")
        try store.record(claim, failed)
        let first = try #require(try store.runRevision(id: runID))
        #expect(try store.runDetail(id: runID)?.revision == first, "the detail read says the same")

        // Tags and notes are not part of what a run's pages show.
        try store.setTags([(key: "keep", value: "yes")], on: .run(runID))
        try store.setNote("a note", on: .run(runID))
        #expect(try store.runRevision(id: runID) == first)

        // Tried again with exactly the same outcome (the same times, metrics and error): the
        // attempt alone tells the two apart.
        let outcome = try store.requeueUnfinished(sweepID: fixture.sweepID, observer: ClaimOwner(host: "testhost", pid: 1)) { _ in true }
        #expect(outcome.requeued.map(\.runID) == [runID])
        #expect(try store.runRevision(id: runID) == nil, "queued again")
        try claimAndRecord(store, sweepID: fixture.sweepID, failed)
        let second = try #require(try store.runRevision(id: runID))
        #expect(second != first)
        #expect(try store.runDetail(id: runID)?.curve == failed.epochs)
    }
}
