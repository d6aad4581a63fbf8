import Foundation
import Testing
import TestSupport
@testable import Tracker

@Suite struct ColumnNameTests {
    @Test func columnsAreReadByTheirNames() throws {
        let db = try Connection(path: ":memory:")
        let rows = try db.query("SELECT 7 AS run_id, 'x' AS name, 0.5 AS accuracy, NULL AS error, x'0102' AS data") { s in
            (try s.int("run_id"), try s.id("run_id"), try s.string("name"), try s.double("accuracy"), try s.string("error"),
             try s.bytes("data"))
        }
        let row = try #require(rows.first)
        #expect(row.0 == 7)
        #expect(row.1 == 7)
        #expect(row.2 == "x")
        #expect(row.3 == 0.5)
        #expect(row.4 == nil)
        #expect(row.5 == [1, 2])
    }

    @Test func anUnknownColumnThrowsNamingItAndTheColumnsThereAre() throws {
        let db = try Connection(path: ":memory:")
        let error = try #require(throws: SQLiteError.self) {
            _ = try db.query("SELECT 1 AS run_id, 2 AS seed") { s in try s.int("runid") }
        }
        #expect(error.primary == .range)
        #expect(error.message.contains("'runid'"))
        #expect(error.message.contains("run_id, seed"))
    }

    @Test func aRequiredColumnThatIsNullThrows() throws {
        let db = try Connection(path: ":memory:")
        #expect(try db.query("SELECT 3 AS n") { s in try s.required(s.int, "n") } == [3])
        let error = try #require(throws: SQLiteError.self) {
            _ = try db.query("SELECT NULL AS n") { s in try s.required(s.int, "n") }
        }
        #expect(error.primary == .misuse)
        #expect(error.message.contains("'n'"))
    }

    @Test func resultCodesHaveNames() throws {
        let scratch = try Scratch()
        defer { scratch.cleanup() }
        let db = try Connection(path: ":memory:")
        try db.execute("CREATE TABLE t (id INTEGER PRIMARY KEY)")
        try db.run("INSERT INTO t VALUES (1)")
        let duplicate = try #require(throws: SQLiteError.self) { try db.run("INSERT INTO t VALUES (1)") }
        #expect(duplicate.primary == .constraint)
        let syntax = try #require(throws: SQLiteError.self) { try db.execute("SELEC 1") }
        #expect(syntax.primary == .error)
        try Data("this is not a database, only text long enough to have a header".utf8).write(to: URL(fileURLWithPath: scratch.path("text.db")))
        let notADatabase = try #require(throws: SQLiteError.self) {
            _ = try Connection(path: scratch.path("text.db")).userVersion
        }
        #expect(notADatabase.primary == .notADatabase)
        let missing = try #require(throws: SQLiteError.self) { _ = try Connection(path: scratch.path("none.db"), readOnly: true) }
        #expect(missing.primary == .cannotOpen)
        #expect(SQLiteError(code: 5, message: "", sql: nil).isBusy)
        #expect(SQLiteError(code: 262, message: "", sql: nil).primary == .locked)  // SQLITE_LOCKED_SHAREDCACHE
    }
}
