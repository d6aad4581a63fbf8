import Foundation
import Testing
@testable import Sweep
import Tracker

/// The `exp` executable built beside this test bundle.
func expExecutable() throws -> String {
    let folder = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
    for candidate in [folder, folder.deletingLastPathComponent()].map({ $0.appendingPathComponent("exp").path })
    where FileManager.default.isExecutableFile(atPath: candidate) {
        return candidate
    }
    throw CocoaError(.fileNoSuchFile, userInfo: [NSFilePathErrorKey: folder.appendingPathComponent("exp").path])
}

/// Starts `exp` with `arguments`, output discarded.
func startExp(_ arguments: [String], stderr: URL? = nil) throws -> Process {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: try expExecutable())
    process.arguments = arguments
    process.standardOutput = FileHandle.nullDevice
    process.standardInput = FileHandle.nullDevice
    if let stderr {
        FileManager.default.createFile(atPath: stderr.path, contents: nil)
        process.standardError = try FileHandle(forWritingTo: stderr)
    } else {
        process.standardError = FileHandle.nullDevice
    }
    try process.run()
    return process
}

/// A grid of 24 cells over the fixture Iris file, written to `dir`.
func writeProcessGrid(_ dir: URL, epochs: Int) throws -> URL {
    let url = dir.appendingPathComponent("grid.json")
    let text = """
        {"name": "processes", "dataset": "\(fixture("data/iris.data").path)", "seeds": [1, 2, 3],
         "grid": {"hidden_layers": [[8], [16, 8]], "activation": ["relu", "sigmoid"], "learning_rate": [0.1, 0.5], "epochs": [\(epochs)]}}
        """
    try text.write(to: url, atomically: true, encoding: .utf8)
    return url
}

/// Each cell's status, metrics summary and weights, keyed by cell.
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

@Suite(.serialized) struct ProcessTests {
    /// `kill -9` at ten moments during a sweep; after each, the database is intact, and the
    /// resumed sweep ends with every cell finished once, equal to an uninterrupted sweep.
    @Test func killedSweepsResumeWithoutLosingOrRepeatingWork() throws {
        let dir = temporaryDirectory()
        let gridURL = try writeProcessGrid(dir, epochs: 1000)
        let reference = dir.appendingPathComponent("reference.db").path
        try runSweep(GridFile.load(gridURL), db: reference, jobs: 2)
        let db = dir.appendingPathComponent("runs.db").path
        var delays = SplitMix(seed: 42)
        var finished = 0
        for trial in 0..<10 {
            let process = try startExp(["sweep", gridURL.path, "--db", db, "--quiet", "--jobs", "2"])
            // Wait until this process has finished one more run, then kill it a random moment later,
            // so that every kill lands while work remains and runs are in flight.
            let deadline = Date().addingTimeInterval(60)
            while Date() < deadline {
                if FileManager.default.fileExists(atPath: db),
                   let count = try? Connection(path: db).scalar("SELECT COUNT(*) FROM runs WHERE status = 'finished'")?.int,
                   count > finished {
                    break
                }
                usleep(5_000)
            }
            usleep(delays.next() % 20_000)
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
            let connection = try Connection(path: db)
            #expect(try connection.scalar("PRAGMA integrity_check")?.string == "ok", "trial \(trial)")
            finished = try connection.scalar("SELECT COUNT(*) FROM runs WHERE status = 'finished'")?.int ?? 0
        }
        #expect(finished >= 10 && finished < 24)
        let last = try startExp(["sweep", gridURL.path, "--db", db, "--quiet"])
        last.waitUntilExit()
        #expect(last.terminationStatus == 0)
        let connection = try Connection(path: db)
        #expect(try connection.scalar("SELECT COUNT(*) FROM runs WHERE status = 'finished'")?.int == 24)
        #expect(try connection.scalar("SELECT COUNT(DISTINCT config_sha256 || '/' || seed) FROM runs")?.int == 24)
        #expect(try cellOutcomes(db) == cellOutcomes(reference))
        // Some kills cut runs off mid-training: those were trained again, with the attempt counted.
        #expect(try connection.scalar("SELECT MAX(attempt) FROM runs")?.int ?? 0 > 1)
    }

    /// Two processes on one database share a 24-cell sweep: no cell runs twice, none is lost,
    /// and no "database is locked" reaches the user.
    @Test func twoProcessesShareOneSweep() throws {
        let dir = temporaryDirectory()
        let gridURL = try writeProcessGrid(dir, epochs: 200)
        let db = dir.appendingPathComponent("runs.db").path
        let logs = [dir.appendingPathComponent("a.err"), dir.appendingPathComponent("b.err")]
        let processes = try logs.map { try startExp(["sweep", gridURL.path, "--db", db, "--jobs", "1"], stderr: $0) }
        processes.forEach { $0.waitUntilExit() }
        for (process, log) in zip(processes, logs) {
            let text = try String(contentsOf: log, encoding: .utf8)
            #expect(process.terminationStatus == 0, "\(text)")
            #expect(!text.contains("locked"))
        }
        let connection = try Connection(path: db)
        #expect(try connection.scalar("SELECT COUNT(*) FROM runs WHERE status = 'finished' AND attempt = 1")?.int == 24)
        #expect(try connection.scalar("SELECT COUNT(*) FROM runs")?.int == 24)
        #expect(try connection.scalar("SELECT COUNT(DISTINCT pid) FROM runs")?.int == 2)
    }
}

/// SplitMix64, for reproducible kill moments.
struct SplitMix {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt32 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return UInt32(truncatingIfNeeded: z ^ (z >> 31))
    }
}

@Suite struct TrainCommandTests {
    /// `exp train` stores one run like a sweep's; the same command again trains nothing new;
    /// a wrongly typed hyperparameter is refused by name with exit status 2.
    @Test func trainStoresOneRunOnce() throws {
        let dir = temporaryDirectory()
        let db = dir.appendingPathComponent("runs.db").path
        let arguments = ["train", "--data", fixture("data/iris.data").path, "--hidden-layers", "8", "--epochs", "30", "--db", db]
        for _ in 0..<2 {
            let process = try startExp(arguments)
            process.waitUntilExit()
            #expect(process.terminationStatus == 0)
        }
        let connection = try Connection(path: db)
        #expect(try connection.scalar("SELECT COUNT(*) FROM runs WHERE status = 'finished' AND attempt = 1")?.int == 1)
        #expect(try connection.scalar("SELECT COUNT(*) FROM epoch_metrics")?.int == 30)
        #expect(try connection.scalar("SELECT value_text FROM params WHERE name = 'hidden_layers'")?.string == "[8]")

        let log = dir.appendingPathComponent("err")
        let bad = try startExp(["train", "--data", fixture("data/iris.data").path, "--activation", "selu", "--db", db], stderr: log)
        bad.waitUntilExit()
        #expect(bad.terminationStatus == 2)
        #expect(try String(contentsOf: log, encoding: .utf8).contains("activation: unknown value \"selu\""))
        #expect(try connection.scalar("SELECT COUNT(*) FROM runs")?.int == 1)
    }
}

@Suite struct PredictCommandTests {
    /// Field case d06b: labels a model never saw (`Iris-setosa.`) are named in the error,
    /// never a silent 0% accuracy; `predict` gives one row per input row with probabilities
    /// summing to 1.
    @Test func unknownLabelsAreNamedAndPredictionsAreDistributions() throws {
        let dir = temporaryDirectory()
        let db = dir.appendingPathComponent("runs.db").path
        let train = try startExp(["train", "--data", fixture("data/iris.data").path, "--epochs", "20", "--db", db])
        train.waitUntilExit()
        #expect(train.terminationStatus == 0)

        let log = dir.appendingPathComponent("err")
        let evaluate = try startExp(["evaluate", "--run", "1", "--db", db, fixture("cases/data/d06b_labels_trailing_period_test.data").path], stderr: log)
        evaluate.waitUntilExit()
        #expect(evaluate.terminationStatus == 2)
        let message = try String(contentsOf: log, encoding: .utf8)
        #expect(message.contains("labels the model never saw: 'Iris-setosa.', 'Iris-versicolor.', 'Iris-virginica.'"))

        let output = dir.appendingPathComponent("predictions.csv")
        FileManager.default.createFile(atPath: output.path, contents: nil)
        let predict = Process()
        predict.executableURL = URL(fileURLWithPath: try expExecutable())
        predict.arguments = ["predict", "--run", "1", "--db", db, fixture("data/iris.data").path]
        predict.standardOutput = try FileHandle(forWritingTo: output)
        try predict.run()
        predict.waitUntilExit()
        #expect(predict.terminationStatus == 0)
        let lines = try String(contentsOf: output, encoding: .utf8).split(separator: "\n")
        #expect(lines.first == "row,class,p_Iris-setosa,p_Iris-versicolor,p_Iris-virginica")
        #expect(lines.count == 151)
        for line in lines.dropFirst() {
            let sum = line.split(separator: ",").suffix(3).compactMap { Double($0) }.reduce(0, +)
            #expect(abs(sum - 1) < 1e-12)
        }
    }
}

@Suite struct InterruptTests {
    /// Ctrl-C stops claiming, lets runs in flight finish or marks them interrupted, exits 130,
    /// and the same command resumes to a complete sweep.
    @Test func interruptedSweepExits130AndResumes() throws {
        let dir = temporaryDirectory()
        let gridURL = try writeProcessGrid(dir, epochs: 1000)
        let db = dir.appendingPathComponent("runs.db").path
        let process = try startExp(["sweep", gridURL.path, "--db", db, "--quiet", "--jobs", "2"])
        let deadline = Date().addingTimeInterval(60)
        while Date() < deadline {
            if let count = try? Connection(path: db).scalar("SELECT COUNT(*) FROM runs WHERE status = 'finished'")?.int, count > 0 { break }
            usleep(5_000)
        }
        kill(process.processIdentifier, SIGINT)
        process.waitUntilExit()
        #expect(process.terminationStatus == 130)
        let connection = try Connection(path: db)
        #expect(try connection.scalar("SELECT COUNT(*) FROM runs WHERE status = 'running'")?.int == 0)
        #expect(try connection.scalar("SELECT COUNT(*) FROM runs WHERE status = 'queued'")?.int ?? 0 > 0)
        let resume = try startExp(["sweep", gridURL.path, "--db", db, "--quiet"])
        resume.waitUntilExit()
        #expect(resume.terminationStatus == 0)
        #expect(try connection.scalar("SELECT COUNT(*) FROM runs WHERE status = 'finished'")?.int == 24)
    }
}

@Suite struct CheckpointTests {
    /// After `exp sweep` exits, the database file alone holds every run: a copy made without its
    /// `-wal` file (as a job array copies a shard to shared storage) loses nothing.
    @Test func theDatabaseFileAloneIsCompleteAfterExit() throws {
        let dir = temporaryDirectory()
        let gridURL = try writeProcessGrid(dir, epochs: 20)
        let db = dir.appendingPathComponent("shard.db").path
        let process = try startExp(["sweep", gridURL.path, "--db", db, "--quiet", "--shard", "0/2"])
        process.waitUntilExit()
        #expect(process.terminationStatus == 0)
        let copy = dir.appendingPathComponent("copy.db").path
        try FileManager.default.copyItem(atPath: db, toPath: copy)
        let connection = try Connection(path: copy)
        #expect(try connection.scalar("SELECT COUNT(*) FROM runs WHERE status = 'finished'")?.int == 12)
        #expect(try connection.scalar("SELECT COUNT(*) FROM epoch_metrics")?.int == 12 * 20)
    }
}

@Suite struct DatabaseErrorTests {
    /// Standard error and exit status of one `exp` call.
    func run(_ arguments: [String]) throws -> (status: Int32, error: String) {
        let log = temporaryDirectory().appendingPathComponent("err")
        let process = try startExp(arguments, stderr: log)
        process.waitUntilExit()
        return (process.terminationStatus, try String(contentsOf: log, encoding: .utf8))
    }

    /// A file that is not SQLite, a newer schema and a damaged file each get one line in the
    /// user's terms and a non-zero exit; nothing is written to them.
    @Test func badDatabasesGetOneLineErrors() throws {
        let dir = temporaryDirectory()
        let text = dir.appendingPathComponent("notes.db")
        try "not a database\n".write(to: text, atomically: true, encoding: .utf8)
        let notSQLite = try run(["runs", "--db", text.path])
        #expect(notSQLite.status == 2)
        #expect(notSQLite.error == "exp: \(text.path) is not an SQLite database\n")
        #expect(try String(contentsOf: text, encoding: .utf8) == "not a database\n")

        let newer = dir.appendingPathComponent("newer.db").path
        let connection = try Connection(path: newer)
        try connection.execute("CREATE TABLE t (x); PRAGMA user_version = 99")
        let refused = try run(["runs", "--db", newer])
        #expect(refused.status == 2)
        #expect(refused.error.contains("schema version 99, newer than this exp supports"))

        let damaged = dir.appendingPathComponent("damaged.db")
        var header = Data("SQLite format 3\0".utf8)
        header.append(Data(repeating: 0xFF, count: 8192 - header.count))
        try header.write(to: damaged)
        let check = Process()
        check.executableURL = URL(fileURLWithPath: try expExecutable())
        check.arguments = ["db", "check", "--db", damaged.path]
        let output = dir.appendingPathComponent("out")
        FileManager.default.createFile(atPath: output.path, contents: nil)
        check.standardOutput = try FileHandle(forWritingTo: output)
        check.standardError = FileHandle.nullDevice
        try check.run()
        check.waitUntilExit()
        #expect(check.terminationStatus == 1)
        #expect(try String(contentsOf: output, encoding: .utf8).contains("integrity: failed"))
    }
}
