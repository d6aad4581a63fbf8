import Foundation
import Testing
import TestSupport
@testable import Tracker

/// Migration 0009 (`pruned`, `rungs`, `checkpoints`): it rebuilds `runs` with foreign keys off,
/// so every stored value, view and index must come through unchanged.
@Suite struct SearchRungsMigrationTests {
    /// Names and SQL of the schema's objects on `runs` and the views.
    func schemaObjects(_ db: Connection) throws -> [String] {
        try db.query("""
            SELECT type || ' ' || name || ': ' || sql AS object FROM sqlite_schema
            WHERE (type = 'view' OR (type = 'index' AND tbl_name = 'runs')) AND sql IS NOT NULL ORDER BY type, name
            """) { s in try s.required(s.string, "object") }
    }

    @Test func upgradingAVersionEightDatabaseKeepsEveryRunViewAndIndex() throws {
        let scratch = try Scratch()
        defer { scratch.cleanup() }
        let path = scratch.path("runs.db")
        try loadOldDatabase(into: path, version: 8)
        let before: [String: [[SQLValue]]]
        let objects: [String]
        let leaderboard: [[SQLValue]]
        do {
            let old = try Connection(path: path)
            #expect(try old.userVersion == 8)
            before = try Dictionary(uniqueKeysWithValues: RunStore.tables.prefix { $0 != "rungs" }.map { ($0, try allRows(old, $0)) })
            objects = try schemaObjects(old)
            leaderboard = try old.query("SELECT * FROM leaderboard") { s in (0..<s.columnCount).map { s.value($0) } }
        }
        #expect(before["runs"]!.count == 8)
        #expect(objects.filter { $0.hasPrefix("view ") }.count == 3)
        #expect(objects.filter { $0.hasPrefix("index ") }.count == 2)

        let store = try RunStore(path: path)
        #expect(try store.connection.userVersion >= 9)
        for (table, rows) in before { #expect(try allRows(store.connection, table) == rows, "\(table) changed") }
        #expect(try schemaObjects(store.connection) == objects)
        #expect(try store.connection.query("SELECT * FROM leaderboard") { s in (0..<s.columnCount).map { s.value($0) } } == leaderboard)
        #expect(try store.integrityReport().isSound)
        #expect(try store.connection.scalar("PRAGMA foreign_keys")?.int == 1)
        // The new status is accepted, an unknown one still refused; deleting a run still cascades.
        try store.connection.run("UPDATE runs SET status = 'pruned' WHERE run_id = 1")
        #expect(try store.runStatus(id: 1) == .pruned)
        #expect(throws: SQLiteError.self) { try store.connection.run("UPDATE runs SET status = 'stopped' WHERE run_id = 2") }
        try store.connection.run("DELETE FROM runs WHERE run_id = 1")
        #expect(try store.connection.scalar("SELECT COUNT(*) FROM params WHERE run_id = 1")?.int == 0)
    }

    @Test func aRunsCheckpointIsStoredBesideItsWeightsAndReplacedWithThem() throws {
        let scratch = try Scratch()
        defer { scratch.cleanup() }
        let store = try RunStore(path: scratch.path("runs.db"))
        let fixture = try prepare(store)
        try store.enqueue(sweepID: fixture.sweepID, datasetID: fixture.datasetID,
                          cells: cells([Config(learningRate: 0.1, hidden: 8)], seeds: [1, 2], splitID: fixture.splitID))
        var result = finishedResult(validationAccuracy: 0.9, epochs: 10)
        result.checkpoint = Data("state after ten epochs".utf8)
        let claim = try claimAndRecord(store, sweepID: fixture.sweepID, result)
        let stored = try #require(try store.checkpoint(runID: claim.runID))
        #expect(stored == StoredCheckpoint(epoch: 10, state: Data("state after ten epochs".utf8),
                                           finalWeights: Data("final-0.9".utf8), bestWeights: Data("best-0.9".utf8)))
        // The other run stored none.
        let other = try claimAndRecord(store, sweepID: fixture.sweepID, finishedResult(validationAccuracy: 0.8))
        #expect(try store.checkpoint(runID: other.runID) == nil)
        #expect(try store.connection.scalar("SELECT size_bytes FROM checkpoints")?.int == 22)
    }

    @Test func mergeCopiesCheckpointsAndRungDecisions() throws {
        let scratch = try Scratch()
        defer { scratch.cleanup() }
        let shardPath = scratch.path("shard.db")
        do {
            let shard = try RunStore(path: shardPath)
            let fixture = try prepare(shard)
            try shard.enqueue(sweepID: fixture.sweepID, datasetID: fixture.datasetID,
                              cells: cells([Config(learningRate: 0.1, hidden: 8), Config(learningRate: 0.01, hidden: 8)],
                                           seeds: [1], splitID: fixture.splitID))
            var result = finishedResult(validationAccuracy: 0.9, epochs: 3)
            result.checkpoint = Data("state".utf8)
            let kept = try claimAndRecord(shard, sweepID: fixture.sweepID, result)
            let pruned = try claimAndRecord(shard, sweepID: fixture.sweepID, finishedResult(validationAccuracy: 0.5, epochs: 3))
            try shard.connection.run("""
                INSERT INTO rungs (run_id, rung, budget_epochs, outcome, value, rank, candidates, decided_at)
                VALUES (?, 0, 3, 'promoted', 0.9, 1, 2, '2026-11-30T12:00:00Z'), (?, 0, 3, 'stopped', 0.5, 2, 2, '2026-11-30T12:00:00Z')
                """, [.integer(kept.runID), .integer(pruned.runID)])
            try shard.connection.run("UPDATE runs SET status = 'pruned' WHERE run_id = ?", [.integer(pruned.runID)])
        }
        let target = try RunStore(path: scratch.path("runs.db"))
        _ = try prepare(target)
        let summary = try target.merge(from: shardPath)
        #expect(summary.added == 2)
        let decisions = try target.rungDecisions(sweepID: 1)
        #expect(decisions.map(\.promoted) == [true, false])
        #expect(decisions.map(\.value) == [0.9, 0.5])
        #expect(decisions.map(\.rank) == [1, 2])
        #expect(try target.checkpoint(runID: decisions[0].runID)?.state == Data("state".utf8))
        #expect(try target.runStatus(id: decisions[1].runID) == .pruned)
        // Merging again changes nothing: a pruned run is as complete as a finished one.
        let again = try target.merge(from: shardPath)
        #expect(again.unchanged == 2 && again.added == 0 && again.replaced == 0)
        #expect(try target.rungDecisions(sweepID: 1).count == 2)
    }
}
