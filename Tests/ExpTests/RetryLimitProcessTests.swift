import Foundation
import Testing
import TestSupport
import Tracker

/// `exp sweep --max-attempts`, `--retry-failed` and `--dry-run` on the real executable.
@Suite struct RetryLimitProcessTests {
    /// The status and attempt of each cell, by cell index.
    func cells(_ db: String) throws -> [Int: String] {
        let rows = try Connection(path: db).query("SELECT cell_index, status || ' ' || attempt FROM runs") { ($0.int(0)!, $0.string(1)!) }
        return Dictionary(uniqueKeysWithValues: rows)
    }

    @Test func failedRunsAreRetriedUpToTheLimitThenOnlyOnPurpose() throws {
        let dir = temporaryDirectory()
        let grid = try writeProcessGrid(dir, epochs: 1)
        let db = dir.appendingPathComponent("runs.db").path

        // A dry run on no database stores nothing, not even the file.
        let fresh = try exp(["sweep", grid.path, "--dry-run"], in: dir)
        #expect(fresh.status == 0, "\(fresh.stderr)")
        #expect(fresh.stdout.contains("would add 24 cells (cells 0-23), 24 in all"), "\(fresh.stdout)")
        #expect(!FileManager.default.fileExists(atPath: db))

        #expect(try exp(["sweep", grid.path, "--jobs", "1", "--quiet"], in: dir).status == 0)
        // Cell 0 failed on its first attempt, cell 1 on its third.
        let connection = try Connection(path: db)
        try connection.run("UPDATE runs SET status = 'failed', error = 'out of memory', attempt = 1 WHERE cell_index = 0")
        try connection.run("UPDATE runs SET status = 'failed', error = 'bad gradient', attempt = 3 WHERE cell_index = 1")

        let preview = try exp(["sweep", grid.path, "--dry-run"], in: dir)
        #expect(preview.status == 0, "\(preview.stderr)")
        #expect(preview.stdout.contains("would add 0 cells, 24 in all"), "\(preview.stdout)")
        #expect(preview.stdout.contains("would requeue 1 runs:\n  cell 0: "), "\(preview.stdout)")
        #expect(preview.stdout.contains("attempt 1, failed: out of memory"), "\(preview.stdout)")
        #expect(preview.stdout.contains("would leave 1 failed runs failed (at the limit of 3 attempts; --retry-failed requeues them):\n  cell 1: "),
                "\(preview.stdout)")
        #expect(try cells(db)[0] == "failed 1" && cells(db)[1] == "failed 3", "a dry run changed the database")

        // A resume retries cell 0 only; cell 1 stays failed with its error, and the sweep is incomplete.
        let resumed = try exp(["sweep", grid.path, "--jobs", "1", "--quiet"], in: dir)
        #expect(resumed.status == 1)
        #expect(resumed.stderr.contains("note: 1 failed runs are left failed at the limit of 3 attempts"), "\(resumed.stderr)")
        #expect(resumed.stderr.contains("1 failed: bad gradient"), "\(resumed.stderr)")
        #expect(try cells(db)[0] == "finished 2")
        #expect(try cells(db)[1] == "failed 3")
        #expect(try connection.scalar("SELECT error FROM runs WHERE cell_index = 1")?.string == "bad gradient")

        // A higher limit, or --retry-failed, tries it again.
        let raised = try exp(["sweep", grid.path, "--dry-run", "--max-attempts", "4"], in: dir)
        #expect(raised.stdout.contains("would requeue 1 runs:\n  cell 1: "), "\(raised.stdout)")
        let retried = try exp(["sweep", grid.path, "--jobs", "1", "--quiet", "--retry-failed"], in: dir)
        #expect(retried.status == 0, "\(retried.stderr)")
        #expect(try cells(db)[1] == "finished 4")
        let zero = try exp(["sweep", grid.path, "--max-attempts", "0"], in: dir)
        #expect(zero.status == 2)
        #expect(zero.stderr == "exp: --max-attempts must be at least 1\n")
    }
}
