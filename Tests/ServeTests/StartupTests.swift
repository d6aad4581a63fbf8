import Foundation
import Testing
import TestSupport
import Tracker
@testable import Serve

/// The server starts only on an exp database: another program's SQLite file, or a file that is
/// not SQLite, is refused as every read-only command refuses it (`exp serve` exits with 2).
@Suite struct StartupTests {
    @Test func aFileExpDidNotSetUpIsNotServed() throws {
        let scratch = try Scratch()
        defer { scratch.cleanup() }
        let other = scratch.path("other.db"), text = scratch.path("notes.db")
        try Connection(path: other).execute("CREATE TABLE notes(text TEXT)")
        try Data("x".utf8).write(to: URL(fileURLWithPath: text))
        #expect(throws: DatabaseFileError.notExp(path: other)) { try LiveServer(configuration: ServeConfiguration(databasePath: other)) }
        #expect(throws: DatabaseFileError.notSQLite(path: text)) { try LiveServer(configuration: ServeConfiguration(databasePath: text)) }
    }
}
