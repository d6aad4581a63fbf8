import Foundation
import Testing
import TestSupport
@testable import Tracker

/// The retry limit: a failed run is claimed at most `maxAttempts` times in all, then left
/// `failed` with its error unless failed runs are retried on purpose.
@Suite struct RetryLimitTests {
    let scratch: Scratch
    let store: RunStore

    init() throws {
        scratch = try Scratch()
        store = try RunStore(path: scratch.path("runs.db"))
    }

    /// Claims the sweep's only queued run and records it as failed with `error`.
    func fail(_ sweepID: Int64, _ error: String) throws -> ClaimedRun {
        var result = RunResult(status: .failed, startedAt: Date(), endedAt: Date())
        result.error = error
        return try claimAndRecord(store, sweepID: sweepID, result)
    }

    /// The process that requeues, in a namespace of its own.
    let observer = ClaimOwner(host: "testhost", pid: 1)

    func status(_ runID: Int64) throws -> String? {
        try store.connection.scalar("SELECT status FROM runs WHERE run_id = ?", [.integer(runID)])?.string
    }

    @Test func aFailingRunIsTriedThreeTimesThenLeftFailedWithItsError() throws {
        defer { scratch.cleanup() }
        let fixture = try prepare(store)
        try store.enqueue(sweepID: fixture.sweepID, datasetID: fixture.datasetID,
                          cells: cells([Config(learningRate: 0.1, hidden: 8)], seeds: [1], splitID: fixture.splitID))
        var attempts: [Int] = []
        for round in 1...5 {
            let run = try fail(fixture.sweepID, "diverging gradients \(round)")
            attempts.append(run.attempt)
            let outcome = try store.requeueUnfinished(sweepID: fixture.sweepID, observer: observer) { _ in true }
            if run.attempt < RunStore.defaultMaxAttempts {
                #expect(outcome.requeued.map(\.runID) == [run.runID])
                #expect(outcome.skipped.isEmpty)
            } else {
                #expect(outcome.requeued.isEmpty)
                #expect(outcome.skipped.map(\.attempt) == [3])
                #expect(outcome.skipped.first?.error == "diverging gradients 3")
                break
            }
        }
        #expect(attempts == [1, 2, 3])
        let runID = Int64(try #require(try store.connection.scalar("SELECT run_id FROM runs")?.int))
        #expect(try status(runID) == "failed")
        #expect(try store.connection.scalar("SELECT error FROM runs")?.string == "diverging gradients 3")
        // A later resume leaves it alone; retrying on purpose queues it once more.
        #expect(try store.requeueUnfinished(sweepID: fixture.sweepID, observer: observer) { _ in true }.skipped.count == 1)
        let retried = try store.requeueUnfinished(sweepID: fixture.sweepID, observer: observer, retryFailed: true) { _ in true }
        #expect(retried.requeued.map(\.runID) == [runID])
        #expect(try fail(fixture.sweepID, "again").attempt == 4)
        #expect(try store.requeueUnfinished(sweepID: fixture.sweepID, observer: observer) { _ in true }.requeued.isEmpty)
    }

    @Test func interruptedRunsAreAlwaysRequeuedAndTheLimitIsConfigurable() throws {
        defer { scratch.cleanup() }
        let fixture = try prepare(store)
        try store.enqueue(sweepID: fixture.sweepID, datasetID: fixture.datasetID,
                          cells: cells([Config(learningRate: 0.1, hidden: 8), Config(learningRate: 0.2, hidden: 8)], seeds: [1],
                                       splitID: fixture.splitID))
        let failed = try fail(fixture.sweepID, "out of memory")
        let interrupted = try #require(try store.claimNext(sweepID: fixture.sweepID, host: "testhost", pid: 1))
        try store.markInterrupted([interrupted])
        // With one attempt allowed the failed run stays failed; the interrupted one did not fail.
        let outcome = try store.requeueUnfinished(sweepID: fixture.sweepID, observer: observer, maxAttempts: 1) { _ in true }
        #expect(outcome.requeued.map(\.runID) == [interrupted.runID])
        #expect(outcome.skipped.map(\.runID) == [failed.runID])
        #expect(try status(failed.runID) == "failed")
        #expect(try status(interrupted.runID) == "queued")
    }
}
