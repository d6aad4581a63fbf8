import Foundation
import Testing
import TestSupport
import Tracker

/// A shard's exit status follows the same table as a whole sweep, over the shard's own cells.
@Suite struct ShardExitTests {
    @Test func aShardWithFailedCellsExitsOne() throws {
        let dir = temporaryDirectory()
        let grid = try writeProcessGrid(dir, epochs: 1)
        let db = dir.appendingPathComponent("shard.db").path
        let first = try exp(["sweep", grid.path, "--db", db, "--shard", "0/2", "--jobs", "1"], in: dir)
        #expect(first.status == 0, "\(first.stderr)")
        // The shard's summary counts its own 12 cells, not the other shard's queued ones.
        #expect(first.stderr.contains("runs: 12 finished\n"), "\(first.stderr)")

        // A failed cell of the other shard is not this shard's concern...
        let connection = try Connection(path: db)
        try connection.run("UPDATE runs SET status = 'failed', error = 'bad gradient', attempt = 3 WHERE cell_index = 1")
        #expect(try exp(["sweep", grid.path, "--db", db, "--shard", "0/2", "--quiet"], in: dir).status == 0)
        // ...one of its own, at the attempt limit, is: exit 1, as for a whole sweep.
        try connection.run("UPDATE runs SET status = 'failed', error = 'bad gradient', attempt = 3 WHERE cell_index = 2")
        let failed = try exp(["sweep", grid.path, "--db", db, "--shard", "0/2", "--quiet"], in: dir)
        #expect(failed.status == 1, "\(failed.stderr)")
        #expect(failed.stderr.contains("runs: 11 finished, 1 failed\n"), "\(failed.stderr)")
        #expect(failed.stderr.contains("exp: shard 0/2 of the sweep is not complete"), "\(failed.stderr)")
    }
}
