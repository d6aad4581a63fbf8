import Determinism
import Foundation
import Testing
import TestSupport
import Tracker

/// Starts `exp` with `arguments` without waiting; output is discarded.
func start(_ arguments: [String]) throws -> Process {
    let process = Process()
    process.executableURL = try expExecutable()
    process.arguments = arguments
    process.standardOutput = FileHandle.nullDevice
    process.standardError = FileHandle.nullDevice
    process.standardInput = FileHandle.nullDevice
    try process.run()
    return process
}

/// A grid of 24 cells (2 x 2 x 2 configurations x 3 seeds) over the shipped Iris file.
func writeProcessGrid(_ dir: URL, epochs: Int) throws -> URL {
    let url = dir.appendingPathComponent("grid.json")
    let text = """
        {"name": "processes", "dataset": "\(repositoryRoot.appendingPathComponent("Data/iris.data").path)", "seeds": [1, 2, 3],
         "grid": {"hidden_layers": [[8], [16, 8]], "activation": ["relu", "sigmoid"], "learning_rate": [0.1, 0.5], "epochs": [\(epochs)]}}
        """
    try text.write(to: url, atomically: true, encoding: .utf8)
    return url
}

/// Runs finished in the database at `path` (0 while it does not exist yet).
func finishedRuns(_ path: String) -> Int {
    guard FileManager.default.fileExists(atPath: path) else { return 0 }
    return (try? Connection(path: path).scalar("SELECT COUNT(*) FROM runs WHERE status = 'finished'")?.int) ?? 0
}

/// Waits until the database at `path` has more than `count` finished runs (at most a minute).
func waitForFinishedRuns(above count: Int, in path: String) {
    let deadline = Date().addingTimeInterval(60)
    while Date() < deadline, finishedRuns(path) <= count { usleep(5_000) }
}

/// Each cell's status, metrics summary, training losses and final weights, keyed by cell.
func cellOutcomes(_ path: String) throws -> [String: String] {
    let connection = try Connection(path: path)
    let rows = try connection.query("""
        SELECT r.config_sha256 || '/' || r.seed, r.status || ' ' || r.final_validation_accuracy || ' ' || r.test_accuracy || ' '
               || (SELECT group_concat(train_loss, ',') FROM epoch_metrics m WHERE m.run_id = r.run_id) || ' '
               || (SELECT hex(data) FROM weights w WHERE w.run_id = r.run_id AND w.kind = 'final')
        FROM runs r
        """) { ($0.string(0)!, $0.string(1) ?? "") }
    return Dictionary(uniqueKeysWithValues: rows)
}

@Suite(.serialized, .tags(.slow), .skippedWhenFast) struct SweepProcessTests {
    /// `kill -9` at ten moments during a sweep, each after at least one more run finished; after
    /// each, the database is intact, and the resumed sweep ends with every cell finished once,
    /// equal to an uninterrupted sweep.
    @Test func killedSweepsResumeWithoutLosingOrRepeatingWork() throws {
        let dir = temporaryDirectory()
        let gridURL = try writeProcessGrid(dir, epochs: 1000)
        let reference = try exp(["sweep", gridURL.path, "--db", "reference.db", "--quiet"], in: dir)
        #expect(reference.status == 0)
        let db = dir.appendingPathComponent("runs.db").path
        var delays = SplitMix64(seed: 42)  // reproducible kill moments
        var finished = 0
        for trial in 0..<10 {
            let process = try start(["sweep", gridURL.path, "--db", db, "--quiet", "--jobs", "2"])
            waitForFinishedRuns(above: finished, in: db)
            usleep(UInt32(truncatingIfNeeded: delays.next()) % 20_000)
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
            let connection = try Connection(path: db)
            #expect(try connection.scalar("PRAGMA integrity_check")?.string == "ok", "trial \(trial)")
            finished = finishedRuns(db)
        }
        #expect(finished >= 10 && finished < 24)
        #expect(try exp(["sweep", gridURL.path, "--db", db, "--quiet"], in: dir).status == 0)
        let connection = try Connection(path: db)
        #expect(try connection.scalar("SELECT COUNT(*) FROM runs WHERE status = 'finished'")?.int == 24)
        #expect(try connection.scalar("SELECT COUNT(DISTINCT config_sha256 || '/' || seed) FROM runs")?.int == 24)
        #expect(try cellOutcomes(db) == cellOutcomes(dir.appendingPathComponent("reference.db").path))
        // Some kills cut runs off mid-training: those were trained again, with the attempt counted.
        #expect(try connection.scalar("SELECT MAX(attempt) FROM runs")?.int ?? 0 > 1)
    }

    /// Two processes on one database share a 24-cell sweep: no cell runs twice, none is lost,
    /// and no "database is locked" reaches the user.
    @Test func twoProcessesShareOneSweep() throws {
        let dir = temporaryDirectory()
        let gridURL = try writeProcessGrid(dir, epochs: 200)
        var results: [ProgramResult?] = [nil, nil]
        let lock = NSLock()
        DispatchQueue.concurrentPerform(iterations: 2) { i in
            let result = try? exp(["sweep", gridURL.path, "--db", "runs.db", "--jobs", "1"], in: dir)
            lock.withLock { results[i] = result }
        }
        for result in results {
            #expect(result?.status == 0, "\(result?.stderr ?? "did not run")")
            #expect(result?.stderr.contains("locked") == false)
        }
        let connection = try Connection(path: dir.appendingPathComponent("runs.db").path)
        #expect(try connection.scalar("SELECT COUNT(*) FROM runs WHERE status = 'finished' AND attempt = 1")?.int == 24)
        #expect(try connection.scalar("SELECT COUNT(*) FROM runs")?.int == 24)
        #expect(try connection.scalar("SELECT COUNT(DISTINCT pid) FROM runs")?.int == 2)
    }

    /// Ctrl-C stops claiming, lets runs in flight finish or marks them interrupted, exits 130,
    /// and the same command resumes to a complete sweep.
    @Test func interruptedSweepExits130AndResumes() throws {
        let dir = temporaryDirectory()
        let gridURL = try writeProcessGrid(dir, epochs: 1000)
        let db = dir.appendingPathComponent("runs.db").path
        let process = try start(["sweep", gridURL.path, "--db", db, "--quiet", "--jobs", "2"])
        waitForFinishedRuns(above: 0, in: db)
        kill(process.processIdentifier, SIGINT)
        process.waitUntilExit()
        #expect(process.terminationStatus == 130)
        let connection = try Connection(path: db)
        #expect(try connection.scalar("SELECT COUNT(*) FROM runs WHERE status = 'running'")?.int == 0)
        #expect(try connection.scalar("SELECT COUNT(*) FROM runs WHERE status = 'queued'")?.int ?? 0 > 0)
        #expect(try exp(["sweep", gridURL.path, "--db", db, "--quiet"], in: dir).status == 0)
        #expect(finishedRuns(db) == 24)
    }

    /// After `exp sweep` exits, the database file alone holds every run: a copy made without its
    /// `-wal` file (as a job array copies a shard to shared storage) loses nothing.
    @Test func theDatabaseFileAloneIsCompleteAfterExit() throws {
        let dir = temporaryDirectory()
        let gridURL = try writeProcessGrid(dir, epochs: 20)
        #expect(try exp(["sweep", gridURL.path, "--db", "shard.db", "--quiet", "--shard", "0/2"], in: dir).status == 0)
        let copy = dir.appendingPathComponent("copy.db").path
        try FileManager.default.copyItem(atPath: dir.appendingPathComponent("shard.db").path, toPath: copy)
        let connection = try Connection(path: copy)
        #expect(try connection.scalar("SELECT COUNT(*) FROM runs WHERE status = 'finished'")?.int == 12)
        #expect(try connection.scalar("SELECT COUNT(*) FROM epoch_metrics")?.int == 12 * 20)
    }
}

@Suite struct TrainCommandTests {
    /// `exp train` stores one run like a sweep's; the same command again trains nothing new;
    /// a wrongly typed hyperparameter is refused by name with exit status 2.
    @Test func trainStoresOneRunOnce() throws {
        let dir = temporaryDirectory()
        let arguments = ["train", "--data", repositoryRoot.appendingPathComponent("Data/iris.data").path,
                         "--hidden-layers", "8", "--epochs", "30"]
        for _ in 0..<2 { #expect(try exp(arguments, in: dir).status == 0) }
        let connection = try Connection(path: dir.appendingPathComponent("runs.db").path)
        #expect(try connection.scalar("SELECT COUNT(*) FROM runs WHERE status = 'finished' AND attempt = 1")?.int == 1)
        #expect(try connection.scalar("SELECT COUNT(*) FROM epoch_metrics")?.int == 30)
        #expect(try connection.scalar("SELECT value_text FROM params WHERE name = 'hidden_layers'")?.string == "[8]")

        let bad = try exp(["train", "--data", repositoryRoot.appendingPathComponent("Data/iris.data").path, "--activation", "selu"], in: dir)
        #expect(bad.status == 2)
        #expect(bad.stderr.contains("activation: unknown value \"selu\""))
        #expect(try connection.scalar("SELECT COUNT(*) FROM runs")?.int == 1)
    }
}

@Suite struct DatabaseErrorTests {
    /// A file that is not SQLite, a newer schema and a damaged file each get one line in the
    /// user's terms and a non-zero exit; nothing is written to them.
    @Test func badDatabasesGetOneLineErrors() throws {
        let dir = temporaryDirectory()
        try "not a database\n".write(to: dir.appendingPathComponent("notes.db"), atomically: true, encoding: .utf8)
        let notSQLite = try exp(["runs", "--db", "notes.db"], in: dir)
        #expect(notSQLite.status == 2)
        #expect(notSQLite.stderr == "exp: notes.db is not an SQLite database\n")
        #expect(try String(contentsOf: dir.appendingPathComponent("notes.db"), encoding: .utf8) == "not a database\n")

        let connection = try Connection(path: dir.appendingPathComponent("newer.db").path)
        try connection.execute("CREATE TABLE t (x); PRAGMA user_version = 99")
        let refused = try exp(["runs", "--db", "newer.db"], in: dir)
        #expect(refused.status == 2)
        #expect(refused.stderr.contains("schema version 99, newer than this exp supports"))

        var damaged = Data("SQLite format 3\0".utf8)
        damaged.append(Data(repeating: 0xFF, count: 8192 - damaged.count))
        try damaged.write(to: dir.appendingPathComponent("damaged.db"))
        let check = try exp(["db", "check", "--db", "damaged.db"], in: dir)
        #expect(check.status == 1)
        #expect(check.stdout.contains("integrity: failed"))
    }
}
