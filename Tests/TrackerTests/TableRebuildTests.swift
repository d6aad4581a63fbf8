import Foundation
import Testing
import TestSupport
@testable import Tracker

/// A migration that rebuilds `runs` as SQLite documents it (create the new table, copy, drop
/// the old one, rename), adding a column; views and indexes on `runs` are dropped first and
/// created again after.
private func rebuildRunsMigration(_ db: Connection, version: Int) throws -> Migration {
    let table = try #require(try db.scalar("SELECT sql FROM sqlite_schema WHERE type = 'table' AND name = 'runs'")?.string)
    let views = try db.query("SELECT name, sql FROM sqlite_schema WHERE type = 'view' ORDER BY name") { s in
        (try s.required(s.string, "name"), try s.required(s.string, "sql"))
    }
    let indexes = try db.query("SELECT sql FROM sqlite_schema WHERE type = 'index' AND tbl_name = 'runs' AND sql IS NOT NULL") { s in
        try s.required(s.string, "sql")
    }
    // A table that was itself rebuilt and renamed is stored as `CREATE TABLE "runs" (`.
    let newTable = table.replacingOccurrences(of: #"CREATE TABLE "?runs"? \("#, with: "CREATE TABLE runs_new (\n    note TEXT,",
                                              options: .regularExpression)
    let columns = try db.query("SELECT name FROM pragma_table_info('runs') ORDER BY cid") { s in try s.required(s.string, "name") }
        .joined(separator: ", ")
    let sql = views.map { "DROP VIEW \($0.0);" }
        + [newTable + ";", "INSERT INTO runs_new (\(columns)) SELECT \(columns) FROM runs;", "DROP TABLE runs;",
           "ALTER TABLE runs_new RENAME TO runs;"]
        + indexes.map { $0 + ";" } + views.map { $0.1 + ";" }
    return Migration(version: version, file: String(format: "%04d_rebuild_runs.sql", version), sql: sql.joined(separator: "\n"))
}

/// A store with a sweep of queued, finished and diverged runs: params, epoch metrics, weights.
private func populatedStore(_ path: String) throws -> RunStore {
    let store = try RunStore(path: path)
    let fixture = try prepare(store)
    let configs = [Config(learningRate: 0.1, hidden: 8), Config(learningRate: 0.01, hidden: 16), Config(learningRate: 5, hidden: 8)]
    try store.enqueue(sweepID: fixture.sweepID, datasetID: fixture.datasetID, cells: cells(configs, seeds: [1, 2], splitID: fixture.splitID))
    try claimAndRecord(store, sweepID: fixture.sweepID, finishedResult(validationAccuracy: 0.9))
    try claimAndRecord(store, sweepID: fixture.sweepID, finishedResult(validationAccuracy: 0.8))
    try claimAndRecord(store, sweepID: fixture.sweepID, divergedResult())
    try store.setTags([("reviewed", "yes"), ("owner", "ana")], on: .run(2))
    try store.setNote("a note", on: .run(2))
    try store.setTags([("stage", "baseline")], on: .sweep("iris-lr"))
    return store
}

@Suite struct TableRebuildTests {
    @Test func rebuildingRunsKeepsItsParamsMetricsAndWeights() throws {
        let scratch = try Scratch()
        defer { scratch.cleanup() }
        let path = scratch.path("runs.db")
        let before: [String: [[SQLValue]]]
        let migration: Migration
        do {
            let store = try populatedStore(path)
            before = try Dictionary(uniqueKeysWithValues: RunStore.tables.map { ($0, try allRows(store.connection, $0)) })
            migration = try rebuildRunsMigration(store.connection, version: Migrations.latestVersion + 1)
        }
        #expect(before["params"]!.count == 30)
        #expect(before["epoch_metrics"]!.count == 13)
        #expect(before["weights"]!.count == 4)

        let upgraded = try RunStore(path: path, readOnly: false, migrations: Migrations.all + [migration])
        #expect(try upgraded.connection.userVersion == migration.version)
        #expect(upgraded.backupPath != nil)
        let columns = try upgraded.connection.query("SELECT name FROM pragma_table_info('runs')") { s in try s.string("name") }
        #expect(columns.contains("note"))
        #expect(before["run_tags"]!.count == 2 && before["run_notes"]!.count == 1)
        for table in ["datasets", "sweeps", "splits", "params", "epoch_metrics", "weights", "run_tags", "sweep_tags", "run_notes"] {
            #expect(try allRows(upgraded.connection, table) == before[table]!, "\(table) changed")
        }
        let runs = try upgraded.connection.query("SELECT * FROM runs ORDER BY run_id") { s in
            (0..<s.columnCount).filter { s.columnName($0) != "note" }.map { s.value($0) }
        }
        #expect(runs == before["runs"]!)
        // Foreign keys are on again, and still cascade.
        #expect(try upgraded.connection.scalar("PRAGMA foreign_keys")?.int == 1)
        #expect(try upgraded.integrityReport().isSound)
        try upgraded.connection.run("DELETE FROM runs WHERE run_id = 1")
        #expect(try upgraded.connection.scalar("SELECT COUNT(*) FROM params WHERE run_id = 1")?.int == 0)
        #expect(try upgraded.leaderboard(sweepID: 1).count == 3)
        // The tags of the rebuilt table's runs still refer to it, and cascade too.
        try upgraded.setTags([("after", "rebuild")], on: .run(3))
        try upgraded.connection.run("DELETE FROM runs WHERE run_id = 2")
        #expect(try upgraded.connection.scalar("SELECT COUNT(*) FROM run_tags")?.int == 1)
        #expect(try upgraded.connection.scalar("SELECT COUNT(*) FROM run_notes")?.int == 0)
    }

    @Test func anUpgradeThatBreaksReferencesIsRolledBack() throws {
        let scratch = try Scratch()
        defer { scratch.cleanup() }
        let path = scratch.path("runs.db")
        let paramsBefore: Int
        do {
            let store = try populatedStore(path)
            paramsBefore = try store.connection.scalar("SELECT COUNT(*) FROM params")?.int ?? 0
        }
        // With foreign keys off, deleting runs no longer cascades: their params would dangle.
        let breaking = Migration(version: Migrations.latestVersion + 1, file: "9999_breaking.sql",
                                 sql: "DELETE FROM runs WHERE status = 'queued';")
        let error = try #require(throws: SchemaError.self) {
            _ = try RunStore(path: path, readOnly: false, migrations: Migrations.all + [breaking])
        }
        guard case let .foreignKeyViolations(version, violations) = error else {
            Issue.record("unexpected \(error)")
            return
        }
        #expect(version == breaking.version)
        #expect(violations.contains { $0.table == "params" && $0.parent == "runs" })
        #expect(error.description.contains("left as it was"))
        let store = try RunStore(path: path)
        #expect(try store.connection.userVersion == Migrations.latestVersion)
        #expect(try store.connection.scalar("SELECT COUNT(*) FROM params")?.int == paramsBefore)
        #expect(try store.connection.scalar("PRAGMA foreign_keys")?.int == 1)
    }

    @Test func referencesBrokenBeforeTheUpgradeDoNotBlockIt() throws {
        let scratch = try Scratch()
        defer { scratch.cleanup() }
        let path = scratch.path("runs.db")
        do {
            let store = try populatedStore(path)
            try store.connection.execute("PRAGMA foreign_keys = OFF")
            try store.connection.run("DELETE FROM runs WHERE run_id = 1")
            #expect(try store.integrityReport().foreignKeyViolations == 12)  // 5 params, 5 epochs, 2 weights
        }
        let harmless = Migration(version: Migrations.latestVersion + 1, file: "9999_harmless.sql",
                                 sql: "CREATE TABLE harmless (id INTEGER PRIMARY KEY);")
        let store = try RunStore(path: path, readOnly: false, migrations: Migrations.all + [harmless])
        #expect(try store.connection.userVersion == harmless.version)
        #expect(try store.integrityReport().foreignKeyViolations == 12)
    }

    @Test func migratingInsideATransactionIsRefused() throws {
        let db = try Connection(path: ":memory:")
        let error = try #require(throws: SQLiteError.self) {
            try db.transaction { _ = try db.migrate() }
        }
        #expect(error.primary == .misuse)
        #expect(try db.userVersion == 0)
    }
}
