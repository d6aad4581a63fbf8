import Foundation
import Testing
import TestSupport

/// docs/schema.md's examples, run as a reader runs them — the `sqlite3` shell and Python with
/// pandas — on a database like the quick start's: a small real sweep named `iris` over the
/// shipped Iris file (the quick start's grid name, fewer configurations and epochs).
@Suite struct SchemaExampleTests {
    /// CI (`.ci/run`) installs the tools, and there a missing one fails instead of skipping.
    static let required = ProcessInfo.processInfo.environment["REPORT_CHECKS_REQUIRED"] == "1"
    static let sqlite3 = which("sqlite3")
    static let python3 = which("python3")
    static let pandas: Bool = {
        guard let python3 else { return false }
        return (try? runProgram(URL(fileURLWithPath: python3), ["-c", "import pandas"]).status) == 0
    }()

    /// The blocks that may find nothing on the quick start's database: they are about several
    /// sweeps, diverged runs, infinite losses, nested cross-validation and halving searches.
    static let mayBeEmpty = ["b.sweep <> a.sweep", "diverged_epoch", "9e999", "FROM selections", "FROM rungs g",
                             "full_grid_epochs"]

    static func markdown() throws -> String {
        try String(contentsOf: repositoryRoot.appendingPathComponent("docs/schema.md"), encoding: .utf8)
    }

    /// A folder whose `runs.db` holds the sweep `iris`: 2 learning rates x 2 seeds, 30 epochs,
    /// with run 1 tagged `reviewed=yes` as the tags example assumes.
    static func quickStartFolder() throws -> URL {
        let dir = try sweptIrisFolder(name: "iris", seeds: [1, 2], grid: #"{"epochs": [30], "hidden_layers": [[8]], "learning_rate": [0.1, 0.5]}"#)
        let tagged = try exp(["tag", "1", "reviewed=yes"], in: dir)
        try #require(tagged.status == 0, "\(tagged.stderr)")
        return dir
    }

    @Test(.enabled(if: sqlite3 != nil || required, "needs the sqlite3 shell (apt-get install sqlite3)"))
    func everySQLExampleRunsInTheSQLiteShell() throws {
        let shell = URL(fileURLWithPath: try #require(Self.sqlite3, "sqlite3 not found"))
        let blocks = fencedBlocks(in: try Self.markdown(), language: "sql")
        #expect(blocks.count >= 15)
        #expect(blocks.filter { block in Self.mayBeEmpty.contains { block.contains($0) } }.count == Self.mayBeEmpty.count)
        let dir = try Self.quickStartFolder()
        for block in blocks {
            // A leading line break keeps a block that opens with an SQL comment (`--`) from
            // being read as a command-line option.
            let result = try runProgram(shell, ["-readonly", "-bail", "-header", "runs.db", "\n" + block], in: dir)
            #expect(result.status == 0 && result.stderr.isEmpty, "\(result.stderr)\n\(block)")
            if !Self.mayBeEmpty.contains(where: { block.contains($0) }) {
                // A header line and at least one row.
                #expect(result.stdout.split(separator: "\n").count >= 2, "no rows:\n\(block)")
            }
        }
    }

    @Test(.tags(.slow), .skippedWhenFast, .enabled(if: pandas || required, "needs pandas (python3 -m pip install pandas)"))
    func thePandasExampleRuns() throws {
        let python = URL(fileURLWithPath: try #require(Self.python3, "python3 not found"))
        let blocks = fencedBlocks(in: try Self.markdown(), language: "python")
        #expect(blocks.count == 1)
        let dir = try Self.quickStartFolder()
        for block in blocks {
            let result = try runProgram(python, ["-c", block + "\nprint('curves', len(curves))"], in: dir)
            #expect(result.status == 0, "\(result.stderr)\n\(block)")
            // The leaderboard's two configurations, the mean per learning rate, 4 runs x 30 epochs.
            #expect(result.stdout.contains("[2 rows x 4 columns]"), "\(result.stdout)")
            #expect(result.stdout.range(of: #"\n0\.5 +0\.\d+ +0\.\d+ +2\n"#, options: .regularExpression) != nil, "\(result.stdout)")
            #expect(result.stdout.contains("curves 120"), "\(result.stdout)")
        }
    }
}
