import Foundation
import Testing
import TestSupport
@testable import Tracker

@Suite struct DocumentationTests {
    @Test func everySQLExampleInTheSchemaDocRunsAndReturnsRows() throws {
        let markdown = try String(contentsOf: repositoryRoot.appendingPathComponent("docs/schema.md"), encoding: .utf8)
        let blocks = fencedBlocks(in: markdown, language: "sql")
        #expect(blocks.count >= 8)
        let scratch = try Scratch()
        defer { scratch.cleanup() }
        let path = scratch.path("runs.db")
        try ExampleDatabase.build(at: path)
        // Read as a user would: a separate, read-only connection.
        let db = try Connection(path: path, readOnly: true)
        for block in blocks {
            do {
                let statement = try db.prepare(block)
                #expect(statement.isReadOnly, "example changes the database:\n\(block)")
                var rows = 0
                while try statement.step() {
                    rows += 1
                    _ = (0..<statement.columnCount).map { statement.value($0) }
                }
                #expect(rows > 0, "example returned no rows:\n\(block)")
            } catch {
                Issue.record("example failed: \(error)\n\(block)")
            }
        }
    }

    @Test func theExamplesReturnWhatTheySay() throws {
        let scratch = try Scratch()
        defer { scratch.cleanup() }
        let store = try ExampleDatabase.build(at: scratch.path("runs.db"))
        let db = store.connection
        #expect(try store.statusCounts(sweepID: 1) == [.finished: 18, .diverged: 3, .failed: 1, .queued: 2])
        #expect(try store.statusCounts(sweepID: 2) == [.finished: 9])
        // Configurations with a diverged or failed run come last in iris.
        let flags = try db.query("SELECT diverged_runs + failed_runs > 0 FROM leaderboard WHERE sweep = 'iris'") { $0.int(0)! }
        #expect(flags == [0, 0, 0, 0, 0, 1, 1, 1])
        // Two configurations are shared by the two sweeps.
        #expect(try db.scalar("""
            SELECT COUNT(*) FROM leaderboard a JOIN leaderboard b ON b.config_sha256 = a.config_sha256
            WHERE a.sweep = 'iris' AND b.sweep = 'iris-width'
            """)?.int == 2)
    }

    @Test func sqlBlocksAreExtractedWhole() {
        let text = "intro\n```sql\nSELECT 1\nFROM t;\n```\n```python\nx = 1\n```\n  ```sql\nSELECT 2;\n  ```\n"
        #expect(fencedBlocks(in: text, language: "sql") == ["SELECT 1\nFROM t;", "SELECT 2;"])
        #expect(fencedBlocks(in: text, language: "python") == ["x = 1"])
    }
}
