import Foundation
import Testing
@testable import Tracker

/// Loads `Fixtures/runs-v2.sql`, the `sqlite3 .dump` of a database made by exp 0.1.0 (schema
/// version 2: one sweep, `fixture-v2`, with 8 finished, failed and diverged runs), into `path`.
func loadVersionTwoDatabase(into path: String) throws {
    let url = try #require(Bundle.module.url(forResource: "runs-v2", withExtension: "sql", subdirectory: "Fixtures"))
    let db = try Connection(path: path)
    try db.execute(try String(contentsOf: url, encoding: .utf8))
    #expect(try db.userVersion == 2)
}

/// The version-2 fixture brought up to schema `version` by the migrations of that time, as a
/// file written by the exp of that version would be.
func loadOldDatabase(into path: String, version: Int) throws {
    try loadVersionTwoDatabase(into: path)
    try Connection(path: path).migrate(Array(Migrations.all.prefix { $0.version <= version }), backup: false)
}
