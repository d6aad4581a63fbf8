import Foundation
import Testing
import TestSupport
@testable import Tracker

/// Every row of `table` (only `columns`), in a stable order.
private func dump(_ db: Connection, _ table: String, columns: [String]) throws -> [[SQLValue]] {
    let list = columns.joined(separator: ", ")
    return try db.query("SELECT \(list) FROM \(table) ORDER BY \(list)") { s in (0..<columns.count).map { s.value($0) } }
}

private func columns(_ db: Connection, _ table: String) throws -> [String] {
    try db.query("SELECT name FROM pragma_table_info(?) ORDER BY cid", [.text(table)]) { $0.string(0)! }
}

private let dataTables = ["datasets", "sweeps", "splits", "runs", "params", "epoch_metrics", "weights"]

/// Every row of every data table, by table.
private func snapshot(_ db: Connection, columnsOf reference: Connection) throws -> [String: [[SQLValue]]] {
    var tables: [String: [[SQLValue]]] = [:]
    for table in dataTables { tables[table] = try dump(db, table, columns: try columns(reference, table)) }
    return tables
}

/// Fills a store at any schema version with a data set, a sweep, queued, finished and
/// diverged runs, params, metrics and weights.
private func fillForUpgrade(_ store: RunStore) throws {
    let fixture = try prepare(store)
    let configs = [Config(learningRate: 0.1, hidden: 8), Config(learningRate: 0.01, hidden: 16), Config(learningRate: 5, hidden: 8)]
    try store.enqueue(sweepID: fixture.sweepID, datasetID: fixture.datasetID, cells: cells(configs, seeds: [1, 2], splitID: fixture.splitID))
    try claimAndRecord(store, sweepID: fixture.sweepID, finishedResult(validationAccuracy: 0.9))
    try claimAndRecord(store, sweepID: fixture.sweepID, finishedResult(validationAccuracy: 0.8))
    try claimAndRecord(store, sweepID: fixture.sweepID, finishedResult(validationAccuracy: 0.85))
    try claimAndRecord(store, sweepID: fixture.sweepID, divergedResult())
}

@Suite struct MigrationTests {
    @Test func embeddedMigrationsEqualTheFilesAndAreNumberedContiguously() throws {
        let folder = repositoryRoot.appendingPathComponent("migrations")
        let files = try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { $0.hasSuffix(".sql") }.sorted()
        #expect(!files.isEmpty)
        #expect(Migrations.all.map(\.file) == files)
        for (migration, file) in zip(Migrations.all, files) {
            let text = try String(contentsOf: folder.appendingPathComponent(file), encoding: .utf8)
            #expect(migration.sql == text, "embedded \(migration.file) differs from migrations/\(file)")
        }
        #expect(Migrations.all.map(\.version) == Array(1...Migrations.all.count))
        #expect(Migrations.latestVersion == Migrations.all.count)
    }

    @Test func aFreshDatabaseGetsTheLatestVersion() throws {
        let scratch = try Scratch()
        defer { scratch.cleanup() }
        let store = try RunStore(path: scratch.path("runs.db"))
        #expect(try store.connection.userVersion == Migrations.latestVersion)
        #expect(store.backupPath == nil)
        let tables = try store.connection.query("SELECT name FROM sqlite_schema WHERE type IN ('table', 'view') ORDER BY name") { $0.string(0)! }
        #expect(Set(dataTables + ["leaderboard", "run_summary"]).isSubset(of: Set(tables)))
        // Opening again changes nothing.
        let again = try RunStore(path: scratch.path("runs.db"))
        #expect(try again.connection.userVersion == Migrations.latestVersion)
        #expect(again.backupPath == nil)
        #expect(try scratch.files().filter { $0.contains("backup") }.isEmpty)
    }

    @Test func aDatabaseFromANewerVersionIsRefusedAndLeftUntouched() throws {
        let scratch = try Scratch()
        defer { scratch.cleanup() }
        let path = scratch.path("runs.db")
        let future = Migrations.latestVersion + 5
        do {
            let db = try Connection(path: path)
            try db.execute("CREATE TABLE from_the_future (x); INSERT INTO from_the_future VALUES (42); PRAGMA user_version = \(future)")
        }
        let before = try Data(contentsOf: URL(fileURLWithPath: path))
        let filesBefore = try scratch.files()

        let error = try #require(throws: SchemaError.self) { try RunStore(path: path) }
        #expect(error == .newerDatabase(path: path, found: future, supported: Migrations.latestVersion))
        #expect(error.description.contains("\(future)"))
        #expect(error.description.contains("(\(Migrations.latestVersion))"))
        #expect(throws: SchemaError.self) { try RunStore(path: path, readOnly: true) }
        #expect(throws: SchemaError.self) { try Connection(path: path).migrate() }

        #expect(try Data(contentsOf: URL(fileURLWithPath: path)) == before)
        #expect(try scratch.files() == filesBefore)
        #expect(try Connection(path: path).userVersion == future)
    }

    @Test func upgradingKeepsEveryRowAndWritesABackupFirst() throws {
        let scratch = try Scratch()
        defer { scratch.cleanup() }
        let path = scratch.path("runs.db")
        // On top of the current schema, so the store's own statements can fill the file.
        let first = Migrations.all
        let old = Migrations.latestVersion
        let synthetic = Migration(version: old + 1, file: String(format: "%04d_run_labels.sql", old + 1), sql: """
            -- Synthetic upgrade: a column and a table.
            ALTER TABLE runs ADD COLUMN notes TEXT;
            CREATE TABLE run_labels (
                run_id  INTEGER NOT NULL REFERENCES runs (run_id) ON DELETE CASCADE,
                tag     TEXT    NOT NULL,
                PRIMARY KEY (run_id, tag)
            );
            """)
        let original: [String: [[SQLValue]]]
        do {
            let store = try RunStore(path: path, readOnly: false, migrations: first)
            #expect(try store.connection.userVersion == old)
            try fillForUpgrade(store)
            original = try snapshot(store.connection, columnsOf: store.connection)
        }
        #expect(original["runs"]?.count == 6)
        #expect(original["epoch_metrics"]?.isEmpty == false)
        #expect(original["weights"]?.count == 6)
        #expect(original["params"]?.count == 30)

        let upgraded = try RunStore(path: path, readOnly: false, migrations: first + [synthetic])
        #expect(try upgraded.connection.userVersion == old + 1)
        let backup = try #require(upgraded.backupPath)
        #expect(URL(fileURLWithPath: backup).deletingLastPathComponent().path == scratch.url.path)
        #expect(URL(fileURLWithPath: backup).lastPathComponent.hasPrefix("runs.db-backup-v\(old)-"))
        #expect(FileManager.default.fileExists(atPath: backup))

        // Nothing was lost: every row of every table, column by column.
        let reference = try Connection(path: backup, readOnly: true)
        #expect(try reference.userVersion == old)
        #expect(try snapshot(reference, columnsOf: reference) == original)
        #expect(try snapshot(upgraded.connection, columnsOf: reference) == original)
        #expect(try columns(upgraded.connection, "runs").last == "notes")
        #expect(try upgraded.connection.query("PRAGMA foreign_key_check") { _ in 1 }.isEmpty)
        #expect(try upgraded.connection.scalar("PRAGMA integrity_check")?.string == "ok")

        // The upgraded file works: the new table, and the store's own statements.
        try upgraded.connection.run("INSERT INTO run_labels (run_id, tag) VALUES (1, 'baseline')")
        #expect(try upgraded.connection.scalar("SELECT COUNT(*) FROM leaderboard")?.int == 3)
        let sweepID = try #require(try upgraded.sweep(named: "iris-lr")?.id)
        #expect(try upgraded.claimNext(sweepID: sweepID, host: "h", pid: 1) != nil)
        #expect(try upgraded.weights(runID: 1) == Data("final-0.9".utf8))

        // Opening it again at the same version writes no second backup.
        let again = try RunStore(path: path, readOnly: false, migrations: first + [synthetic])
        #expect(again.backupPath == nil)
    }

    @Test func aMigrationThatFailsMidwayRollsBackEntirely() throws {
        let scratch = try Scratch()
        defer { scratch.cleanup() }
        let path = scratch.path("runs.db")
        // On top of the current schema, so the store's own statements can fill the file.
        let first = Migrations.all
        let old = Migrations.latestVersion
        let broken = Migration(version: old + 1, file: String(format: "%04d_broken.sql", old + 1), sql: """
            CREATE TABLE half_done (x INTEGER);
            ALTER TABLE runs ADD COLUMN notes TEXT;
            UPDATE runs SET status = 'failed';
            INSERT INTO no_such_table VALUES (1);
            """)
        do {
            let store = try RunStore(path: path, readOnly: false, migrations: first)
            try fillForUpgrade(store)
        }
        let db = try Connection(path: path)
        let before = try snapshot(db, columnsOf: db)
        let error = try #require(throws: SQLiteError.self) { try db.migrate(first + [broken]) }
        #expect(error.message.contains("no such table: no_such_table"))
        #expect(error.sql?.contains("half_done") == true)
        #expect(try db.userVersion == old)
        #expect(db.isInTransaction == false)
        #expect(try db.scalar("SELECT COUNT(*) FROM sqlite_schema WHERE name = 'half_done'")?.int == 0)
        #expect(try columns(db, "runs").contains("notes") == false)
        #expect(try snapshot(db, columnsOf: db) == before)

        // The same through RunStore, and on a fresh file: nothing of any migration is left either.
        #expect(throws: SQLiteError.self) { try RunStore(path: path, readOnly: false, migrations: first + [broken]) }
        #expect(try db.userVersion == old)
        let freshPath = scratch.path("fresh.db")
        #expect(throws: SQLiteError.self) { try RunStore(path: freshPath, readOnly: false, migrations: first + [broken]) }
        let fresh = try Connection(path: freshPath)
        #expect(try fresh.userVersion == 0)
        #expect(try fresh.scalar("SELECT COUNT(*) FROM sqlite_schema")?.int == 0)
    }

    @Test func migrationNumbersMustBeContiguousFromOne() throws {
        let db = try Connection(path: ":memory:")
        let one = Migration(version: 1, file: "0001_a.sql", sql: "CREATE TABLE a (x);")
        let three = Migration(version: 3, file: "0003_c.sql", sql: "CREATE TABLE c (x);")
        #expect(throws: SchemaError.badMigrationNumbers([1, 3])) { try db.migrate([one, three]) }
        #expect(throws: SchemaError.badMigrationNumbers([3, 1])) { try db.migrate([three, one]) }
        #expect(throws: SchemaError.badMigrationNumbers([3])) { try db.migrate([three]) }
        #expect(throws: SchemaError.badMigrationNumbers([1, 1])) { try db.migrate([one, one]) }
        #expect(try db.userVersion == 0)
        #expect(try db.migrate([one]) == nil)
        #expect(try db.userVersion == 1)
    }
}
