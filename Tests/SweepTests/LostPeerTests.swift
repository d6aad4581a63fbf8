import Foundation
import Testing
import TestSupport
@testable import Sweep
import Tracker

/// A runner whose queue is empty while another process holds runs waits for them, and takes
/// over those whose process is provably gone, instead of returning with a run stuck `running`.
@Suite struct LostPeerTests {
    /// A sweep of two cells, the first held by `peer` (claimed through the store, as another
    /// process would), and a log of the runner's events.
    func sweepWithHeldCell(_ peer: ClaimOwner) throws -> (RunStore, PreparedSweep, ClaimedRun) {
        let dir = temporaryDirectory()
        let store = try RunStore(path: dir.appendingPathComponent("runs.db").path)
        let grid = try grid(gridText(name: "peers", seeds: [1, 2], grid: #"{"hidden_layers": [[4]], "epochs": [20]}"#))
        let prepared = try SweepPlanner.prepare(grid: grid, dataset: loadDataset(grid), store: store, toolVersion: "test")
        let held = try #require(try store.claimNext(sweepID: prepared.sweepID, owner: peer))
        return (store, prepared, held)
    }

    /// The pid of a process of this namespace that has ended.
    func deadPID() throws -> Int {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/true")
        try process.run()
        process.waitUntilExit()
        return Int(process.processIdentifier)
    }

    @Test func aDeadPeersRunIsTakenOverAtOnceInTheSameNamespace() throws {
        var peer = ClaimOwner.thisProcess()
        peer.pid = try deadPID()
        let (store, sweep, held) = try sweepWithHeldCell(peer)
        let log = EventLog()
        let started = Date()
        let summary = SweepRunner().run(sweep, store: store, options: SweepOptions(jobs: 1, toolVersion: "test"), events: log.append)
        #expect(summary.counts == [.finished: 2])
        #expect(summary.complete)
        #expect(log.events.contains(.tookOver([LostRun(runID: held.runID, cellIndex: 0, host: peer.host, pid: peer.pid)])))
        // The pid shortcut: no need to wait for the minute-long heartbeat window.
        #expect(Date().timeIntervalSince(started) < 30)
        #expect(try Connection(path: store.path).scalar("SELECT attempt FROM runs WHERE run_id = ?", [.integer(held.runID)])?.int == 2)
    }

    /// In another PID namespace the pid says nothing: the run is taken over once its heartbeat
    /// is older than the window its owner stored (2 s here), not before.
    @Test func anotherNamespacesRunIsTakenOverOnlyAfterItsHeartbeatWindow() throws {
        var peer = ClaimOwner.thisProcess(heartbeatTimeout: 2)
        peer.pid = try deadPID()
        peer.pidNamespace = "pid:[1]"
        // Taken before the claim stores its heartbeat: the window counts from the heartbeat,
        // and the timestamp keeps milliseconds, hence the 10 ms below.
        let started = Date()
        let (store, sweep, held) = try sweepWithHeldCell(peer)
        let log = EventLog()
        let summary = SweepRunner().run(sweep, store: store, options: SweepOptions(jobs: 1, toolVersion: "test", heartbeatTimeout: 1.2),
                                        events: log.append)
        #expect(summary.counts == [.finished: 2])
        #expect(Date().timeIntervalSince(started) >= 1.99)
        #expect(log.events.filter { if case .tookOver = $0 { return true } else { return false } }.count == 1)
        #expect(try Connection(path: store.path).scalar("SELECT attempt FROM runs WHERE run_id = ?", [.integer(held.runID)])?.int == 2)
    }

    /// A live peer's run is waited for, not taken: when the peer stores its result, the runner
    /// returns with every run finished.
    @Test func aLivePeersRunIsWaitedFor() throws {
        let (store, sweep, held) = try sweepWithHeldCell(ClaimOwner.thisProcess(heartbeatTimeout: 30))
        let peerStore = try RunStore(path: store.path)
        let peerStored = DispatchSemaphore(value: 0)
        let started = Date()  // before the peer's work is scheduled, which starts 1.5 s after it
        DispatchQueue.global().asyncAfter(deadline: .now() + 1.5) {
            var result = RunResult(status: .finished, startedAt: Date(), endedAt: Date())
            result.finalValidationAccuracy = 0.5
            try? peerStore.record(held, result)
            peerStored.signal()
        }
        let log = EventLog()
        let summary = SweepRunner().run(sweep, store: store, options: SweepOptions(jobs: 2, toolVersion: "test"), events: log.append)
        #expect(peerStored.wait(timeout: .now()) == .success, "the runner returned before the peer stored its result")
        #expect(Date().timeIntervalSince(started) >= 1.5)
        #expect(summary.counts == [.finished: 2])
        #expect(!log.events.contains { if case .tookOver = $0 { return true } else { return false } })
        #expect(try Connection(path: store.path).scalar("SELECT attempt FROM runs WHERE run_id = ?", [.integer(held.runID)])?.int == 1)
    }
}
