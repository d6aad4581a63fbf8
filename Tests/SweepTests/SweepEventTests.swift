import Foundation
import Testing
import TestSupport
@testable import Sweep
import Tracker

/// Collects a runner's events from its writer queue.
final class EventLog: @unchecked Sendable {
    private let lock = NSLock()
    private var list: [SweepEvent] = []
    func append(_ event: SweepEvent) { lock.withLock { list.append(event) } }
    var events: [SweepEvent] { lock.withLock { list } }
}

/// `SweepRunner` reports what it does as events and stops when its caller's
/// `SweepCancellation` says so; it prints nothing and handles no signal.
@Suite struct SweepEventTests {
    func prepared(_ text: String, in dir: URL) throws -> (RunStore, PreparedSweep) {
        try prepared(grid(text), in: dir)
    }

    /// Runs `sweep` on `jobs` workers, logging every event and then passing it, with the run's
    /// cancellation, to `react`.
    func run(_ sweep: PreparedSweep, _ store: RunStore, jobs: Int,
             react: @escaping @Sendable (SweepEvent, SweepCancellation) -> Void) -> (SweepSummary, EventLog) {
        let cancellation = SweepCancellation()
        let log = EventLog()
        let summary = SweepRunner().run(sweep, store: store, options: SweepOptions(jobs: jobs, toolVersion: "test"),
                                        cancellation: cancellation) { event in
            log.append(event)
            react(event, cancellation)
        }
        return (summary, log)
    }

    func prepared(_ grid: GridFile, in dir: URL) throws -> (RunStore, PreparedSweep) {
        let store = try RunStore(path: dir.appendingPathComponent("runs.db").path)
        return (store, try SweepPlanner.prepare(grid: grid, dataset: loadDataset(grid), store: store, toolVersion: "test"))
    }

    @Test func everyRunIsClaimedThenEndsInOneEventWithItsStatus() throws {
        let dir = temporaryDirectory()
        let (store, sweep) = try prepared(GridFile.load(fixture("cases/grids/g08_diverging.json")), in: dir)
        let log = EventLog()
        let summary = SweepRunner().run(sweep, store: store, options: SweepOptions(jobs: 2, toolVersion: "test"), events: log.append)
        #expect(summary.counts == [.finished: 2, .diverged: 2])
        #expect(!summary.cancelled && summary.interrupted.isEmpty && summary.storeError == nil)
        let events = log.events
        let claimed = events.compactMap { if case .claimed(let id) = $0 { return id } else { return nil } }
        #expect(Set(claimed).count == 4 && claimed.count == 4)
        for id in claimed {
            let ends = events.enumerated().filter { _, event in
                switch event {
                case .finished(id, _), .diverged(id, _), .failed(id, _): return true
                default: return false
                }
            }
            #expect(ends.count == 1, "run \(id)")
            let claimedAt = events.firstIndex(of: .claimed(runID: id))!
            #expect(ends.first.map { $0.offset > claimedAt } == true, "run \(id) ended before it was claimed")
        }
        #expect(events.filter { $0.status == .diverged }.count == 2)
        let accuracies = events.compactMap { if case .finished(_, let accuracy) = $0 { return accuracy } else { return nil } }
        #expect(accuracies.count == 2 && accuracies.allSatisfy { (0...1).contains($0) })
    }

    /// One worker claims its next run before it hands its last result (so the claim does not wait
    /// for that result to be stored); the last result is stored before the sweep ends.
    @Test func aWorkerClaimsItsNextRunBeforeItsLastResultIsStored() throws {
        let dir = temporaryDirectory()
        let (store, sweep) = try prepared(gridText(name: "order", seeds: [1, 2, 3], grid: #"{"hidden_layers": [[4]], "epochs": [5]}"#), in: dir)
        let log = EventLog()
        let summary = SweepRunner().run(sweep, store: store, options: SweepOptions(jobs: 1, toolVersion: "test"), events: log.append)
        #expect(summary.counts == [.finished: 3])
        let order = log.events.map { event -> String in
            switch event {
            case .claimed(let id): return "claimed \(id)"
            case .finished(let id, _): return "finished \(id)"
            default: return "\(event)"
            }
        }
        #expect(order == ["claimed 1", "claimed 2", "finished 1", "claimed 3", "finished 2", "finished 3"])
    }

    /// A stop now right after a worker claimed its next run: the run it had just trained is
    /// stored finished (its result was handed within the claim's turn on the writer queue), and
    /// only the run it had not started is marked interrupted.
    @Test func aStopNowKeepsTheResultOfTheRunThatHadEnded() throws {
        let dir = temporaryDirectory()
        // Runs long enough (as in the test below) that the second is still training at the stop.
        let (store, sweep) = try prepared(gridText(name: "kept", seeds: [1, 2, 3],
                                                   grid: #"{"hidden_layers": [[16, 16]], "epochs": [400]}"#), in: dir)
        let (summary, log) = run(sweep, store, jobs: 1) { event, cancellation in
            if event == .claimed(runID: 2) { cancellation.stopNow() }
        }
        #expect(summary.interrupted == [2])
        #expect(summary.counts == [.finished: 1, .interrupted: 1, .queued: 1])
        #expect(try store.runStatus(id: 1) == .finished)
        #expect(log.events.contains { if case .finished(1, _) = $0 { true } else { false } })
    }

    @Test func stopClaimingBeforeTheStartTrainsNothing() throws {
        let dir = temporaryDirectory()
        let (store, sweep) = try prepared(gridText(name: "none", seeds: [1, 2], grid: #"{"hidden_layers": [[4]], "epochs": [5]}"#), in: dir)
        let cancellation = SweepCancellation()
        cancellation.stopClaiming()
        let log = EventLog()
        let summary = SweepRunner().run(sweep, store: store, options: SweepOptions(jobs: 2, toolVersion: "test"),
                                        cancellation: cancellation, events: log.append)
        #expect(log.events.isEmpty)
        #expect(summary.cancelled)
        #expect(summary.counts == [.queued: 2])
        #expect(!summary.complete)
    }

    @Test func stopClaimingLetsRunsInFlightFinish() throws {
        let dir = temporaryDirectory()
        let (store, sweep) = try prepared(gridText(name: "claiming", seeds: [1, 2, 3, 4, 5, 6],
                                                   grid: #"{"hidden_layers": [[8]], "epochs": [200]}"#), in: dir)
        let (summary, log) = run(sweep, store, jobs: 2) { event, cancellation in
            if case .claimed = event { cancellation.stopClaiming() }
        }
        let claimed = log.events.filter { $0.status == .running }.count
        #expect(claimed >= 1 && claimed <= 2)
        #expect(summary.counts[.finished] == claimed)
        #expect(summary.counts[.queued] == 6 - claimed)
        #expect(summary.cancelled && summary.interrupted.isEmpty)
    }

    @Test func stopNowMarksRunsInFlightInterruptedAndDropsTheirResults() throws {
        let dir = temporaryDirectory()
        let (store, sweep) = try prepared(gridText(name: "now", seeds: [1, 2],
                                                   grid: #"{"hidden_layers": [[16, 16]], "epochs": [400]}"#), in: dir)
        let (summary, log) = run(sweep, store, jobs: 1) { event, cancellation in
            if case .claimed = event { cancellation.stopNow() }
        }
        #expect(summary.interrupted.count == 1)
        #expect(log.events == [.claimed(runID: summary.interrupted[0]), .interrupted(runIDs: summary.interrupted)])
        #expect(summary.counts == [.interrupted: 1, .queued: 1])
        // The abandoned run keeps training on its thread; when it ends, nothing is written.
        Thread.sleep(forTimeInterval: 3)
        #expect(try store.statusCounts(sweepID: sweep.sweepID) == [.interrupted: 1, .queued: 1])
    }
}
