import Foundation
import Testing
import TestSupport
import Tracker

/// Signals while another program holds the database's write lock: `exp` never waits for it
/// once told to stop now, says which runs it could not mark, and a resume finishes the sweep.
@Suite(.serialized, .tags(.slow), .skippedWhenFast) struct SignalContentionTests {
    /// A sweep of 24 cells started in `dir`, once at least one run finished; and its database.
    func startedSweep(_ dir: URL) throws -> (LoggedProcess, URL, String) {
        let grid = try writeProcessGrid(dir, epochs: 1000)
        let db = dir.appendingPathComponent("runs.db").path
        let sweep = try LoggedProcess(["sweep", grid.path, "--db", db, "--jobs", "2", "--quiet"], in: dir)
        #expect(eventually { (scalar(db, "SELECT COUNT(*) FROM runs WHERE status = 'finished'")?.int ?? 0) >= 1 })
        return (sweep, grid, db)
    }

    /// Holds the write lock of the database at `path` (as `BEGIN IMMEDIATE` in the sqlite3
    /// shell would) until the returned connection rolls back.
    func holdWriteLock(_ path: String) throws -> Connection {
        let holder = try Connection(path: path)
        try holder.execute("BEGIN IMMEDIATE")
        return holder
    }

    /// The count in "could not mark N run(s) interrupted", if the message has one.
    func unmarked(_ stderr: String) -> Int? {
        guard let range = stderr.range(of: #"could not mark (\d+) run"#, options: .regularExpression) else { return nil }
        return Int(stderr[range].split(separator: " ")[3])
    }

    @Test func aSecondCtrlCExitsAtOnceWhileAnotherProgramHoldsTheLock() throws {
        let dir = temporaryDirectory()
        let (sweep, grid, db) = try startedSweep(dir)
        let holder = try holdWriteLock(db)
        usleep(1_500_000)  // the sweep's runs in flight end and wait for the lock to be stored
        let signalled = Date()
        kill(sweep.pid, SIGINT)
        usleep(200_000)
        kill(sweep.pid, SIGINT)
        #expect(sweep.wait() == 130)
        #expect(Date().timeIntervalSince(signalled) < 4, "waited for the lock")
        try holder.execute("ROLLBACK")

        // The message says what was not marked, and that is what the database shows.
        let stderr = sweep.stderr
        #expect(stderr.contains("exp: stopping at once (second signal)"), "\(stderr)")
        let left = try #require(unmarked(stderr), "\(stderr)")
        #expect(left >= 1)
        #expect(stderr.contains("while another program holds the write lock on \(db)"), "\(stderr)")
        #expect(!stderr.contains("marked \(left) unfinished run(s) interrupted"), "\(stderr)")
        #expect(!stderr.contains("locked"), "\(stderr)")
        #expect(scalar(db, "SELECT COUNT(*) FROM runs WHERE status = 'running'")?.int == left)
        #expect(scalar(db, "SELECT COUNT(*) FROM runs WHERE status = 'interrupted'")?.int == 0)

        // Its process is gone: a resume requeues them at once and finishes the sweep.
        let resumed = try exp(["sweep", grid.path, "--db", db, "--quiet"], in: dir)
        #expect(resumed.status == 0, "\(resumed.stderr)")
        #expect(finishedRuns(db) == 24)
    }

    /// One SIGTERM under the same contention exits after the 5 s grace for runs in flight,
    /// not after the database's minute-long busy timeout.
    @Test func sigtermUnderContentionExitsAfterTheGrace() throws {
        let dir = temporaryDirectory()
        let (sweep, _, db) = try startedSweep(dir)
        let holder = try holdWriteLock(db)
        usleep(500_000)
        let signalled = Date()
        kill(sweep.pid, SIGTERM)
        #expect(sweep.wait() == 143)
        #expect(Date().timeIntervalSince(signalled) < 12, "waited for the lock")
        try holder.execute("ROLLBACK")
        #expect(sweep.stderr.contains("exp: stopped by signal 15"), "\(sweep.stderr)")
        #expect(scalar(db, "SELECT COUNT(*) FROM runs WHERE status = 'running'")?.int == unmarked(sweep.stderr) ?? 0)
    }

    /// SIGHUP (a closed terminal or SSH session) is handled as SIGTERM: runs in flight finish
    /// or are marked interrupted, exit 129, and the message counts the runs it marked.
    @Test func sighupIsHandledLikeSigterm() throws {
        let dir = temporaryDirectory()
        let (sweep, _, db) = try startedSweep(dir)
        kill(sweep.pid, SIGHUP)
        #expect(sweep.wait() == 129)
        #expect(sweep.stderr.contains("exp: stopped by signal 1"), "\(sweep.stderr)")
        #expect(scalar(db, "SELECT COUNT(*) FROM runs WHERE status = 'running'")?.int == 0)
        let interrupted = scalar(db, "SELECT COUNT(*) FROM runs WHERE status = 'interrupted'")?.int ?? 0
        #expect(sweep.stderr.contains("marked \(interrupted) unfinished run(s) interrupted") == (interrupted > 0), "\(sweep.stderr)")
    }
}
