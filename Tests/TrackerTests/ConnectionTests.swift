import Foundation
import Testing
import TestSupport
@testable import Tracker

@Suite struct ConnectionTests {
    /// A read transaction ended under it (as SQLite rolls back on its own after some errors the
    /// body handles) still returns the body's result; a write transaction ended so fails.
    @Test func aReadTransactionEndedUnderItReturnsItsResultAndAWriteOneFails() throws {
        let db = try Connection(path: ":memory:")
        try db.execute("CREATE TABLE t (x INTEGER)")
        let read = try db.transaction(.deferred) { () -> Int in
            try db.execute("ROLLBACK")
            return 7
        }
        #expect(read == 7)
        #expect(!db.isInTransaction)
        #expect(throws: SQLiteError.self) {
            try db.transaction(.immediate) { try db.execute("ROLLBACK") }
        }
        #expect(!db.isInTransaction)
    }

    @Test func errorsCarryExtendedCodeMessageAndSQL() throws {
        let db = try Connection(path: ":memory:")
        try db.execute("CREATE TABLE t (x INTEGER UNIQUE, y TEXT NOT NULL)")
        try db.run("INSERT INTO t (x, y) VALUES (?, ?)", [1, "a"])
        let sql = "INSERT INTO t (x, y) VALUES (?, ?)"
        let error = try #require(throws: SQLiteError.self) { try db.run(sql, [1, "b"]) }
        #expect(error.code == 2067)  // SQLITE_CONSTRAINT_UNIQUE
        #expect(error.primaryCode == 19)
        #expect(error.message.contains("UNIQUE constraint failed: t.x"))
        #expect(error.sql == sql)
        #expect(error.description.contains("2067") && error.description.contains("INSERT INTO t"))

        let notNull = try #require(throws: SQLiteError.self) { try db.run(sql, [2, nil]) }
        #expect(notNull.code == 1299)  // SQLITE_CONSTRAINT_NOTNULL

        let syntax = try #require(throws: SQLiteError.self) { try db.prepare("SELEC 1") }
        #expect(syntax.primaryCode == 1)
        #expect(syntax.message.contains("syntax error"))
        #expect(syntax.sql == "SELEC 1")

        let script = try #require(throws: SQLiteError.self) { try db.execute("CREATE TABLE u (a); INSERT INTO nowhere VALUES (1)") }
        #expect(script.message.contains("no such table: nowhere"))
        #expect(script.sql?.contains("INSERT INTO nowhere") == true)
    }

    @Test func prepareRefusesSeveralStatementsAndWrongBindingCounts() throws {
        let db = try Connection(path: ":memory:")
        try db.execute("CREATE TABLE t (x)")
        #expect(throws: SQLiteError.self) { try db.run("INSERT INTO t VALUES (1); INSERT INTO t VALUES (2)") }
        #expect(try db.scalar("SELECT COUNT(*) FROM t")?.int == 0)
        // Trailing whitespace and comments are fine.
        try db.run("INSERT INTO t VALUES (1); -- one row\n  ")
        #expect(try db.scalar("SELECT COUNT(*) FROM t")?.int == 1)
        #expect(throws: SQLiteError.self) { try db.run("INSERT INTO t VALUES (?)", [1, 2]) }
        #expect(throws: SQLiteError.self) { try db.run("INSERT INTO t VALUES (?)", []) }
        #expect(throws: SQLiteError.self) { try db.prepare("-- nothing here") }
    }

    @Test func statementsAreFinalizedWithTheirConnection() throws {
        weak var cached: Statement?
        weak var uncached: Statement?
        do {
            let db = try Connection(path: ":memory:")
            let statement = try db.prepare("SELECT 1")
            cached = statement
            // The same SQL while the cached statement is mid-rows: a separate statement.
            #expect(try statement.step())
            let second = try db.prepare("SELECT 1")
            uncached = second
            #expect(second !== statement)
            #expect(db.openStatementCount == 2)
            statement.reset()
        }
        #expect(cached == nil)
        #expect(uncached == nil)
    }

    @Test func uncachedStatementsAreFinalizedWhenReleased() throws {
        let db = try Connection(path: ":memory:")
        let outer = try db.prepare("SELECT 1")
        #expect(try outer.step())
        do {
            let inner = try db.prepare("SELECT 1")
            #expect(try inner.step())
            #expect(db.openStatementCount == 2)
        }
        #expect(db.openStatementCount == 1)
        outer.reset()
    }

    @Test func queriesResetTheirStatementEvenWhenTheRowClosureThrows() throws {
        struct Stop: Error {}
        let db = try Connection(path: ":memory:")
        try db.execute("CREATE TABLE t (x); INSERT INTO t VALUES (1), (2), (3)")
        let sql = "SELECT x FROM t ORDER BY x"
        #expect(throws: Stop.self) { _ = try db.query(sql) { _ in throw Stop() } }
        #expect(try db.prepare(sql).isBusy == false)
        // A query run from inside the same query sees every row.
        let pairs = try db.query(sql) { outer in try db.query(sql) { inner in outer.int(0)! * 10 + inner.int(0)! } }
        #expect(pairs.flatMap { $0 } == [11, 12, 13, 21, 22, 23, 31, 32, 33])
    }

    @Test func transactionsRollBackWhenTheBodyThrows() throws {
        struct Oops: Error {}
        let db = try Connection(path: ":memory:")
        try db.execute("CREATE TABLE t (x INTEGER PRIMARY KEY)")
        #expect(throws: Oops.self) {
            try db.transaction {
                try db.run("INSERT INTO t VALUES (1)")
                throw Oops()
            }
        }
        #expect(try db.scalar("SELECT COUNT(*) FROM t")?.int == 0)
        #expect(db.isInTransaction == false)

        // An SQL error in the body rolls back what came before it.
        #expect(throws: SQLiteError.self) {
            try db.transaction {
                try db.run("INSERT INTO t VALUES (2)")
                try db.run("INSERT INTO t VALUES (2)")
            }
        }
        #expect(try db.scalar("SELECT COUNT(*) FROM t")?.int == 0)

        // A nested transaction is a savepoint: its failure undoes only its own changes.
        try db.transaction {
            try db.run("INSERT INTO t VALUES (3)")
            #expect(throws: Oops.self) {
                try db.transaction {
                    try db.run("INSERT INTO t VALUES (4)")
                    throw Oops()
                }
            }
            try db.transaction { try db.run("INSERT INTO t VALUES (5)") }
        }
        #expect(try db.query("SELECT x FROM t ORDER BY x") { $0.int(0)! } == [3, 5])
        #expect(db.isInTransaction == false)
    }

    @Test func nanBindsAsNullAndInfinitiesRoundTrip() throws {
        let db = try Connection(path: ":memory:")
        #expect(try db.scalar("SELECT typeof(?)", [.real(.nan)])?.string == "null")
        #expect(try db.scalar("SELECT ?", [.of(Double.nan)]) == .null)
        #expect(try db.scalar("SELECT ?", [.real(.infinity)]) == .real(.infinity))
        #expect(try db.scalar("SELECT ?", [.real(-.infinity)]) == .real(-.infinity))
        #expect(try db.scalar("SELECT ?", [.of(Double?.none)]) == .null)
        #expect(try db.scalar("SELECT ?", [.real(0.1)]) == .real(0.1))
        #expect(try db.scalar("SELECT ?", [.integer(Int64.max)]) == .integer(Int64.max))
        #expect(try db.scalar("SELECT ?", [.blob([0, 1, 255])]) == .blob([0, 1, 255]))
        #expect(try db.scalar("SELECT ?", [.blob([])]) == .blob([]))
        // Text is read by length, so a NUL character survives.
        #expect(try db.scalar("SELECT ?", [.text("a\u{0}b é")]) == .text("a\u{0}b é"))
    }

    @Test func runCountsChangedRowsOnly() throws {
        let db = try Connection(path: ":memory:")
        try db.execute("CREATE TABLE t (x)")
        #expect(try db.run("INSERT INTO t VALUES (1), (2)") == 2)
        #expect(try db.run("SELECT * FROM t") == 0)
        #expect(try db.run("UPDATE t SET x = x + 1") == 2)
        #expect(try db.run("DELETE FROM t WHERE x > 100") == 0)
    }

    @Test func storeConnectionsUseWALNormalSyncForeignKeysAndABusyTimeout() throws {
        let scratch = try Scratch()
        defer { scratch.cleanup() }
        let store = try RunStore(path: scratch.path("runs.db"))
        let db = store.connection
        #expect(try db.scalar("PRAGMA journal_mode")?.string == "wal")
        #expect(try db.scalar("PRAGMA synchronous")?.int == 1)  // NORMAL
        #expect(try db.scalar("PRAGMA foreign_keys")?.int == 1)
        #expect(db.busyTimeout == 60)
        // Foreign keys are enforced.
        let error = try #require(throws: SQLiteError.self) {
            try db.run("INSERT INTO sweeps (name, dataset_id, grid, grid_sha256, protocol, created_at, tool_version) VALUES (?, ?, ?, ?, ?, ?, ?)",
                       ["s", 99, "{}", .text(String(repeating: "0", count: 64)), "{}", "2026-01-01T00:00:00.000Z", "0"])
        }
        #expect(error.code == 787)  // SQLITE_CONSTRAINT_FOREIGNKEY
    }

    @Test func readersDoNotBlockAWriter() throws {
        let scratch = try Scratch()
        defer { scratch.cleanup() }
        let store = try RunStore(path: scratch.path("runs.db"))
        _ = try prepare(store)
        let reader = try RunStore(path: scratch.path("runs.db"), readOnly: true)
        // A reader in the middle of a query...
        let readStatement = try reader.connection.prepare("SELECT name FROM datasets")
        #expect(try readStatement.step())
        // ...does not stop the writer from committing, and keeps its own snapshot.
        try store.write { try store.connection.run("UPDATE datasets SET name = 'renamed'") }
        #expect(readStatement.string(0) == "iris")
        readStatement.reset()
        #expect(try reader.connection.scalar("SELECT name FROM datasets")?.string == "renamed")
        // And a writer in the middle of a transaction does not block readers.
        try store.write {
            try store.connection.run("UPDATE datasets SET name = 'again'")
            #expect(try reader.connection.scalar("SELECT name FROM datasets")?.string == "renamed")
        }
    }

    /// A writer waits for another connection's write lock up to its busy timeout, and gives up
    /// at once — also in the middle of a wait — after stopWaitingForLocks().
    @Test func aWriterGivesUpWaitingForALockWhenToldToStop() throws {
        let scratch = try Scratch()
        defer { scratch.cleanup() }
        let path = scratch.path("runs.db")
        _ = try RunStore(path: path)
        let holder = try Connection(path: path)
        try holder.execute("BEGIN IMMEDIATE")
        defer { try? holder.execute("ROLLBACK") }

        let patient = try RunStore(path: path)
        patient.connection.setBusyTimeout(0.3)
        var started = Date()
        let timedOut = try #require(throws: SQLiteError.self) { try patient.write {} }
        #expect(timedOut.isBusy)
        #expect(Date().timeIntervalSince(started) >= 0.3)

        // With the usual minute, a wait in progress ends soon after the stop.
        patient.connection.setBusyTimeout(60)
        DispatchQueue.global().asyncAfter(deadline: .now() + 0.3) { patient.stopWaitingForLocks() }
        started = Date()
        let stopped = try #require(throws: SQLiteError.self) { try patient.write {} }
        #expect(stopped.isBusy)
        #expect(Date().timeIntervalSince(started) < 5)
        #expect(patient.connection.hasStoppedWaitingForLocks)
        // From then on, without waiting at all; and the exit checkpoint tries once.
        started = Date()
        #expect(throws: SQLiteError.self) { try patient.write {} }
        #expect(try patient.checkpointBeforeExit(within: 3) == false)
        #expect(Date().timeIntervalSince(started) < 1)
    }
}
