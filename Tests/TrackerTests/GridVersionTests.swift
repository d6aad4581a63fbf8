import Determinism
import Foundation
import Testing
import TestSupport
@testable import Tracker

/// `sweep_grids` and the planned and queued cell counts: stored, upgraded into, counted as
/// queued, queued in batches, and merged.
@Suite struct GridVersionTests {
    @Test func versionsAreNumberedAndPlanTheirCells() throws {
        let scratch = try Scratch()
        defer { scratch.cleanup() }
        let store = try RunStore(path: scratch.path("runs.db"))
        let fixture = try prepare(store)
        let first = try store.addGridVersion(sweepID: fixture.sweepID, canonical: #"{"seeds":[1]}"#, grid: "{ }", gridPath: "g.json",
                                             firstCellIndex: 0, cellsAdded: 4)
        let second = try store.addGridVersion(sweepID: fixture.sweepID, canonical: #"{"seeds":[1,2]}"#, grid: "{}", gridPath: nil,
                                              firstCellIndex: 4, cellsAdded: 4)
        #expect(first.version == 1 && second.version == 2)
        #expect(try store.gridVersions(sweepID: fixture.sweepID) == [first, second])
        #expect(second.canonicalSHA256 == sha256Hex(#"{"seeds":[1,2]}"#))
        #expect(try store.cellCounts(sweepID: fixture.sweepID) == CellCounts(planned: 8, queued: 0))
        // Planned cells not written yet count as queued.
        #expect(try store.statusCounts(sweepID: fixture.sweepID) == [.queued: 8])
        // The same canonical form is one version.
        #expect(throws: SQLiteError.self) {
            try store.addGridVersion(sweepID: fixture.sweepID, canonical: #"{"seeds":[1]}"#, grid: "", gridPath: nil, firstCellIndex: 8,
                                     cellsAdded: 0)
        }
    }

    @Test func batchesMoveTheQueuedCountOnce() throws {
        let scratch = try Scratch()
        defer { scratch.cleanup() }
        let store = try RunStore(path: scratch.path("runs.db"))
        let fixture = try prepare(store)
        try store.addGridVersion(sweepID: fixture.sweepID, canonical: "{}", grid: "{}", gridPath: nil, firstCellIndex: 0, cellsAdded: 6)
        let all = cells([Config(learningRate: 0.1, hidden: 8), Config(learningRate: 0.01, hidden: 8), Config(learningRate: 0.5, hidden: 8)],
                        seeds: [1, 2], splitID: fixture.splitID)
        var asked: [(Int, Int)] = []
        let batch = { (from: Int, planned: Int) -> [Cell] in
            asked.append((from, planned))
            return Array(all[from..<min(from + 4, planned)])
        }
        #expect(try store.queueNextCells(sweepID: fixture.sweepID, datasetID: fixture.datasetID, batch) == 4)
        #expect(try store.statusCounts(sweepID: fixture.sweepID) == [.queued: 6])
        #expect(try store.queueNextCells(sweepID: fixture.sweepID, datasetID: fixture.datasetID, batch) == 2)
        #expect(try store.queueNextCells(sweepID: fixture.sweepID, datasetID: fixture.datasetID, batch) == 0)
        #expect(asked.map(\.0) == [0, 4] && asked.map(\.1) == [6, 6])
        #expect(try store.connection.scalar("SELECT COUNT(*) FROM runs")?.int == 6)
        #expect(try store.cellCounts(sweepID: fixture.sweepID) == CellCounts(planned: 6, queued: 6))
        #expect(try store.statusCounts(sweepID: fixture.sweepID) == [.queued: 6])
    }

    /// A schema-4 file: every sweep queued all its cells, so both counts start at its search runs.
    @Test func theUpgradeCountsEveryStoredCellAsPlannedAndQueued() throws {
        let scratch = try Scratch()
        defer { scratch.cleanup() }
        let path = scratch.path("runs.db")
        try loadOldDatabase(into: path, version: 4)
        try Connection(path: path).run("""
            INSERT INTO sweeps (name, dataset_id, grid, grid_sha256, grid_path, protocol, created_at, tool_version)
            SELECT 'empty', dataset_id, grid, grid_sha256, grid_path, protocol, created_at, tool_version FROM sweeps
            """)
        let upgraded = try RunStore(path: path)
        let sweeps = try upgraded.connection.query("SELECT name, planned_cells, queued_cells FROM sweeps ORDER BY name") {
            "\($0.string(0)!) \($0.int(1)!) \($0.int(2)!)"
        }
        #expect(sweeps == ["empty 0 0", "fixture-v2 8 8"])
        #expect(try upgraded.connection.scalar("SELECT COUNT(*) FROM sweep_grids")?.int == 0)
    }

    @Test func mergeCopiesGridVersionsAndTakesTheLargerCounts() throws {
        let scratch = try Scratch()
        defer { scratch.cleanup() }
        let target = try RunStore(path: scratch.path("target.db"))
        let source = try RunStore(path: scratch.path("source.db"))
        let mine = try prepare(target), theirs = try prepare(source)
        try target.addGridVersion(sweepID: mine.sweepID, canonical: "{\"v\":1}", grid: "{}", gridPath: nil, firstCellIndex: 0, cellsAdded: 2)
        for v in 1...2 {
            try source.addGridVersion(sweepID: theirs.sweepID, canonical: "{\"v\":\(v)}", grid: "{\"v\": \(v)}", gridPath: "g\(v).json",
                                      firstSeenAt: "2026-11-30T09:0\(v):00.000Z", firstCellIndex: (v - 1) * 2, cellsAdded: 2)
        }
        let all = cells([Config(learningRate: 0.1, hidden: 8), Config(learningRate: 0.01, hidden: 8)], seeds: [1, 2], splitID: theirs.splitID)
        try source.queueNextCells(sweepID: theirs.sweepID, datasetID: theirs.datasetID) { from, _ in Array(all[from..<3]) }
        try target.merge(from: scratch.path("source.db"))
        let merged = try target.gridVersions(sweepID: mine.sweepID)
        #expect(merged.map(\.canonicalSHA256) == (try source.gridVersions(sweepID: theirs.sweepID)).map(\.canonicalSHA256))
        #expect(merged.map(\.grid) == ["{}", "{\"v\": 2}"])  // version 1 was here: kept as it was
        #expect(merged[1] == (try source.gridVersions(sweepID: theirs.sweepID))[1])
        #expect(try target.cellCounts(sweepID: mine.sweepID) == CellCounts(planned: 4, queued: 3))
        #expect(try target.statusCounts(sweepID: mine.sweepID) == [.queued: 4])
        // Merging again changes nothing; a file whose version 2 is another grid is refused.
        try target.merge(from: scratch.path("source.db"))
        #expect(try target.gridVersions(sweepID: mine.sweepID).count == 2)
        let other = try RunStore(path: scratch.path("other.db"))
        let fork = try prepare(other)
        try other.addGridVersion(sweepID: fork.sweepID, canonical: "{\"v\":1}", grid: "{}", gridPath: nil, firstCellIndex: 0, cellsAdded: 2)
        try other.addGridVersion(sweepID: fork.sweepID, canonical: "{\"v\":3}", grid: "{}", gridPath: nil, firstCellIndex: 2, cellsAdded: 5)
        #expect(throws: TrackerError.gridChanged(sweep: "iris-lr")) { try target.merge(from: scratch.path("other.db")) }
        #expect(try target.gridVersions(sweepID: mine.sweepID).count == 2)
    }
}
