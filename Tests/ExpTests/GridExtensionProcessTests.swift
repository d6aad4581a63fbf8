import Foundation
import Testing
import TestSupport
import Tracker

/// `exp sweep` with a grid under a stored sweep's name, and lazily queued sweeps shared by
/// processes, as a user runs them.
@Suite(.serialized) struct GridExtensionProcessTests {
    static let grids = repositoryRoot.appendingPathComponent("Tests/SweepTests/Fixtures/cases/grids")

    /// g14 after g04 (shared cases): the sweep resumes with the 24 new cells only, and says so;
    /// g04 again would drop them and is refused with what differs, exit 2.
    @Test func g14ExtendsTheSweepOfG04() throws {
        let dir = temporaryDirectory()
        let db = dir.appendingPathComponent("runs.db").path
        let first = try exp(["sweep", Self.grids.appendingPathComponent("g04_nested_lists.json").path, "--db", db, "--jobs", "2"], in: dir)
        #expect(first.status == 0, "\(first.stderr)")
        let dryRun = try exp(["sweep", Self.grids.appendingPathComponent("g14_nested_lists_extended.json").path, "--db", db, "--dry-run"], in: dir)
        #expect(dryRun.status == 0)
        #expect(dryRun.stdout.contains("would add 24 cells (cells 24-47), 48 in all:"), "\(dryRun.stdout)")
        #expect(dryRun.stdout.contains("  cell 24: "), "\(dryRun.stdout)")
        let second = try exp(["sweep", Self.grids.appendingPathComponent("g14_nested_lists_extended.json").path, "--db", db, "--jobs", "2"], in: dir)
        #expect(second.status == 0, "\(second.stderr)")
        #expect(second.stderr.contains("sweep 'nested-lists': added 24 cells (48 in all)"), "\(second.stderr)")
        let connection = try Connection(path: db)
        #expect(try connection.scalar("SELECT COUNT(*) FROM runs WHERE status = 'finished' AND attempt = 1")?.int == 48)
        #expect(try connection.scalar("SELECT group_concat(cells_added) FROM sweep_grids")?.string == "24,24")
        let back = try exp(["sweep", Self.grids.appendingPathComponent("g04_nested_lists.json").path, "--db", db], in: dir)
        #expect(back.status == 2)
        #expect(back.stderr.contains("sweep 'nested-lists' cannot take this grid: seeds: 4 stored, missing now; "
                                     + "grid.learning_rate: 0.001 stored, missing now."), "\(back.stderr)")
        #expect(back.stderr.split(separator: "\n").count == 1, "\(back.stderr)")
    }

    /// g13's million cells: the first 10,000 are queued and training starts; stopped there,
    /// `exp runs` lists the runs written and says how many queued cells it does not list.
    @Test(.tags(.slow), .skippedWhenFast) func aMillionCellSweepStartsWithItsFirstBatch() throws {
        let dir = temporaryDirectory()
        let db = dir.appendingPathComponent("runs.db").path
        let process = try start(["sweep", Self.grids.appendingPathComponent("g13_million_cells.json").path, "--db", db, "--jobs", "1"])
        let deadline = Date().addingTimeInterval(120)
        func claimed() -> Int {
            guard FileManager.default.fileExists(atPath: db) else { return 0 }
            return (try? Connection(path: db, readOnly: true).scalar("SELECT COUNT(*) FROM runs WHERE status != 'queued'")?.int) ?? 0
        }
        while Date() < deadline, claimed() == 0 { usleep(20_000) }
        kill(process.processIdentifier, SIGINT)
        process.waitUntilExit()
        #expect(process.terminationStatus == 130)
        let connection = try Connection(path: db)
        #expect(try connection.scalar("SELECT planned_cells || '/' || queued_cells FROM sweeps")?.string == "1000000/10000")
        #expect(try connection.scalar("SELECT COUNT(*) FROM runs")?.int == 10_000)
        let runs = try exp(["runs", "--db", db, "--limit", "1"], in: dir)
        #expect(runs.status == 0)
        #expect(runs.stderr.contains("note: sweep 'g1e6' has 990000 more queued cells, not listed"), "\(runs.stderr)")
    }

    /// Two processes share a sweep queued two cells at a time: every cell is queued once and
    /// trained once.
    @Test(.tags(.slow), .skippedWhenFast) func twoProcessesShareALazilyQueuedSweep() throws {
        let dir = temporaryDirectory()
        let gridURL = try writeProcessGrid(dir, epochs: 100)
        var results: [ProgramResult?] = [nil, nil]
        let lock = NSLock()
        DispatchQueue.concurrentPerform(iterations: 2) { i in
            let result = try? exp(["sweep", gridURL.path, "--db", "runs.db", "--jobs", "2", "--queue-batch", "2"], in: dir)
            lock.withLock { results[i] = result }
        }
        for result in results { #expect(result?.status == 0, "\(result?.stderr ?? "did not run")") }
        let connection = try Connection(path: dir.appendingPathComponent("runs.db").path)
        #expect(try connection.scalar("SELECT COUNT(*) FROM runs WHERE status = 'finished' AND attempt = 1")?.int == 24)
        #expect(try connection.scalar("SELECT COUNT(*) FROM runs")?.int == 24)
        #expect(try connection.scalar("SELECT COUNT(DISTINCT cell_index) FROM runs")?.int == 24)
        #expect(try connection.scalar("SELECT planned_cells || '/' || queued_cells FROM sweeps")?.string == "24/24")
    }
}
