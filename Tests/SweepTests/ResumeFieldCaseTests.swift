import Foundation
import Testing
import TestSupport
@testable import Sweep
@testable import Tracker

/// Field case g04 stopped in the middle and run again: each (configuration, seed) exactly once,
/// and the same runs as a sweep that was never stopped. (`kill -9` of the `exp` process is in
/// ExpTests' SweepProcessTests, on a grid of the same shape.)
@Suite struct ResumeFieldCaseTests {
    @Test func g04StoppedAndRunAgainEqualsOneUninterruptedSweep() throws {
        let dir = temporaryDirectory()
        let grid = try GridFile.load(fixture("cases/grids/g04_nested_lists.json"))
        let (_, whole) = try runSweep(grid, db: dir.appendingPathComponent("whole.db").path, jobs: 2)
        #expect(whole.counts == [.finished: 24])

        let store = try RunStore(path: dir.appendingPathComponent("stopped.db").path)
        let first = try SweepPlanner.prepare(grid: grid, dataset: loadDataset(grid), store: store, toolVersion: "test")
        let cancellation = SweepCancellation()
        let finished = EventLog()
        let stopped = SweepRunner().run(first, store: store, options: SweepOptions(jobs: 2, toolVersion: "test"),
                                        cancellation: cancellation) { event in
            if case .finished = event { finished.append(event) }
            if finished.events.count == 5 { cancellation.stopNow() }
        }
        #expect(stopped.cancelled)
        #expect((stopped.counts[.finished] ?? 0) < 24)

        let again = try SweepPlanner.prepare(grid: grid, dataset: loadDataset(grid), store: store, toolVersion: "test")
        #expect(again.newCells == 0)
        let rest = SweepRunner().run(again, store: store, options: SweepOptions(jobs: 2, toolVersion: "test"))
        #expect(rest.counts == [.finished: 24])
        #expect(try store.connection.scalar("SELECT COUNT(*) FROM runs")?.int == 24)
        #expect(try store.connection.scalar("SELECT COUNT(DISTINCT config_sha256 || '/' || seed) FROM runs")?.int == 24)
        let outcome = { (db: String) in
            try Connection(path: db).query("""
                SELECT r.config_sha256 || '/' || r.seed, hex(w.data) FROM runs r JOIN weights w USING (run_id) WHERE w.kind = 'final'
                """) { ($0.string(0)!, $0.string(1)!) }
        }
        let resumed = Dictionary(uniqueKeysWithValues: try outcome(dir.appendingPathComponent("stopped.db").path))
        let uninterrupted = Dictionary(uniqueKeysWithValues: try outcome(dir.appendingPathComponent("whole.db").path))
        #expect(resumed.count == 24)
        #expect(resumed == uninterrupted)
    }
}
