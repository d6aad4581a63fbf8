import Foundation
import Testing
import TestSupport
@testable import Tracker

/// Database files as they travel: opened read-only without writing or creating anything,
/// merged without writing into the sources, upgraded once by one process.
@Suite struct DatabaseFileTests {
    /// An older file opened read-only is read through an upgraded temporary copy: queries see
    /// the current schema (columns added since read NULL), the file keeps its bytes and
    /// version, and the copy is gone once the store is released.
    @Test func anOlderFileReadOnlyIsReadThroughAnUpgradedCopy() throws {
        let scratch = try Scratch()
        defer { scratch.cleanup() }
        let path = scratch.path("runs.db")
        try loadOldDatabase(into: path, version: 4)
        let before = try Data(contentsOf: URL(fileURLWithPath: path))
        var copy: String?
        do {
            let store = try RunStore(path: path, readOnly: true)
            copy = store.upgradedCopy
            #expect(copy != nil)
            #expect(store.path == path)
            let sweep = try #require(try store.sweep(named: "fixture-v2"))
            #expect(sweep.benchmark == nil)
            let runs = try store.runSummaries(RunSelection(sweep: "fixture-v2"))
            #expect(runs.count == 8)
            #expect(try store.tags(of: .run(1)).isEmpty)
        }
        #expect(try Data(contentsOf: URL(fileURLWithPath: path)) == before)
        #expect(try Connection(path: path, readOnly: true).userVersion == 4)
        #expect(try scratch.files() == ["runs.db"])
        #expect(!FileManager.default.fileExists(atPath: try #require(copy)))
        // The current schema is read directly.
        #expect(try RunStore(path: scratch.path("new.db")).upgradedCopy == nil)
        #expect(try RunStore(path: scratch.path("new.db"), readOnly: true).upgradedCopy == nil)
    }

    @Test func readOnlyOpeningNeverCreatesAndNamesTheProblem() throws {
        let scratch = try Scratch()
        defer { scratch.cleanup() }
        #expect(throws: DatabaseFileError.missing(path: scratch.path("none.db"))) { try RunStore(path: scratch.path("none.db"), readOnly: true) }
        #expect(try scratch.files().isEmpty)
        _ = FileManager.default.createFile(atPath: scratch.path("empty.db"), contents: nil)
        #expect(throws: DatabaseFileError.empty(path: scratch.path("empty.db"))) { try RunStore(path: scratch.path("empty.db"), readOnly: true) }
        #expect(DatabaseFile.size(scratch.path("empty.db")) == 0)
        try FileManager.default.createDirectory(atPath: scratch.path("folder"), withIntermediateDirectories: false)
        #expect(throws: DatabaseFileError.directory(path: scratch.path("folder"))) { try RunStore(path: scratch.path("folder")) }
        #expect(try scratch.files() == ["empty.db", "folder"])
        // A writer may set up a 0-byte file as a new database.
        #expect(try RunStore(path: scratch.path("empty.db")).connection.userVersion == Migrations.latestVersion)
    }

    /// Eight processes' worth of connections opening an older file at once: one migrates it,
    /// and only that one writes a backup and reports it.
    @Test func concurrentOpeningOfAnOlderFileWritesOneBackup() throws {
        let scratch = try Scratch()
        defer { scratch.cleanup() }
        let path = scratch.path("runs.db")
        try loadVersionTwoDatabase(into: path)
        let lock = NSLock()
        var backups: [String?] = []
        var failures: [String] = []
        DispatchQueue.concurrentPerform(iterations: 8) { _ in
            do {
                let store = try RunStore(path: path)
                lock.withLock { backups.append(store.backupPath) }
            } catch {
                lock.withLock { failures.append("\(error)") }
            }
        }
        #expect(failures.isEmpty, "\(failures)")
        #expect(backups.count == 8)
        #expect(backups.compactMap { $0 }.count == 1)
        #expect(try scratch.files().filter { $0.contains("-backup-") }.count == 1)
        #expect(try Connection(path: path).userVersion == Migrations.latestVersion)
    }

    /// A source with an older schema is upgraded in a temporary copy: the file itself keeps
    /// its bytes and its version, and nothing is written beside it.
    @Test func mergeReadsItsSourcesAndUpgradesAnOlderOneInACopy() throws {
        let scratch = try Scratch()
        defer { scratch.cleanup() }
        let folder = scratch.url.appendingPathComponent("shards")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: false)
        let source = folder.appendingPathComponent("old.db").path
        try loadVersionTwoDatabase(into: source)
        let before = try Data(contentsOf: URL(fileURLWithPath: source))
        let target = try RunStore(path: scratch.path("all.db"))
        let summary = try target.merge(from: source)
        #expect(summary.added > 0)
        #expect(try Data(contentsOf: URL(fileURLWithPath: source)) == before)
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path) == ["old.db"])
        #expect(try Connection(path: source, readOnly: true).userVersion == 2)
        #expect(try target.merge(from: source) == MergeSummary(added: 0, replaced: 0, unchanged: summary.added))

        _ = FileManager.default.createFile(atPath: scratch.path("empty.db"), contents: nil)
        #expect(throws: DatabaseFileError.empty(path: scratch.path("empty.db"))) { try target.merge(from: scratch.path("empty.db")) }
        #expect(DatabaseFile.size(scratch.path("empty.db")) == 0)
    }

    /// The same file by another name — `./`, a symbolic link, a hard link — is refused at once.
    /// Another program's database is refused before anything is written to it (it stays in
    /// rollback-journal mode, without exp's tables); an SQLite file with no table is new, and
    /// set up; a file too short for SQLite's header is not a database.
    @Test func onlyANewOrAnExpDatabaseIsOpened() throws {
        let scratch = try Scratch()
        defer { scratch.cleanup() }
        let other = scratch.path("other.db")
        try Connection(path: other).execute("CREATE TABLE notes(text TEXT)")
        for readOnly in [false, true] {
            #expect(throws: DatabaseFileError.notExp(path: other)) { try RunStore(path: other, readOnly: readOnly) }
        }
        let after = try Connection(path: other, readOnly: true)
        #expect(try after.scalar("PRAGMA journal_mode")?.string == "delete")
        #expect(try after.scalar("SELECT group_concat(name) FROM sqlite_master")?.string == "notes")

        let blank = scratch.path("blank.db")
        try Connection(path: blank).execute("PRAGMA user_version = 0; VACUUM")
        #expect(throws: DatabaseFileError.notExp(path: blank)) { try RunStore(path: blank, readOnly: true) }
        #expect(try RunStore(path: blank).connection.userVersion == Migrations.latestVersion)

        let short = scratch.path("short.db")
        try Data("SQLite".utf8).write(to: URL(fileURLWithPath: short))
        for readOnly in [false, true] {
            #expect(throws: DatabaseFileError.notSQLite(path: short)) { try RunStore(path: short, readOnly: readOnly) }
        }
        #expect(try Data(contentsOf: URL(fileURLWithPath: short)) == Data("SQLite".utf8))
    }

    @Test func mergeRefusesTheTargetByAnyName() throws {
        let scratch = try Scratch()
        defer { scratch.cleanup() }
        let path = scratch.path("all.db")
        let store = try RunStore(path: path)
        try FileManager.default.createSymbolicLink(atPath: scratch.path("link.db"), withDestinationPath: path)
        try FileManager.default.linkItem(atPath: path, toPath: scratch.path("hard.db"))
        let started = Date()
        for other in [scratch.url.path + "/./all.db", scratch.path("link.db"), scratch.path("hard.db")] {
            #expect(throws: DatabaseFileError.sameFile(path: path, other: other)) { try store.merge(from: other) }
        }
        #expect(Date().timeIntervalSince(started) < 5)
    }

    /// A snapshot is one file in rollback-journal mode holding everything, taken while another
    /// connection holds a write transaction.
    @Test func aSnapshotIsOneSelfContainedFile() throws {
        let scratch = try Scratch()
        defer { scratch.cleanup() }
        let path = scratch.path("runs.db")
        try loadVersionTwoDatabase(into: path)
        let store = try RunStore(path: path)
        let writer = try Connection(path: path)
        try writer.execute("BEGIN IMMEDIATE; UPDATE runs SET error = 'uncommitted'")
        try store.snapshot(to: scratch.path("copy.db"))
        try writer.execute("ROLLBACK")
        let copy = try Connection(path: scratch.path("copy.db"), readOnly: true)
        #expect(try copy.scalar("PRAGMA journal_mode")?.string == "delete")
        #expect(try copy.scalar("SELECT COUNT(*) FROM runs")?.int == (try store.connection.scalar("SELECT COUNT(*) FROM runs")?.int))
        #expect(try copy.scalar("SELECT COUNT(*) FROM runs WHERE error = 'uncommitted'")?.int == 0)
        #expect(!FileManager.default.fileExists(atPath: scratch.path("copy.db-wal")))
        #expect(throws: DatabaseFileError.exists(path: scratch.path("copy.db"))) { try store.snapshot(to: scratch.path("copy.db")) }
    }
}
