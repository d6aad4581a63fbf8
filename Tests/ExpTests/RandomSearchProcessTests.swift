import Foundation
import Testing
import TestSupport
import Tracker

/// A random search run by `exp` as a user runs it: the same trials in any number of processes
/// and databases, resumed after `kill -9`, extended by more trials, and its dry run.
@Suite(.serialized, .tags(.slow), .skippedWhenFast) struct RandomSearchProcessTests {
    /// A random search of `trials` trials x 2 seeds over the shipped Iris file.
    static func writeGrid(_ dir: URL, trials: Int, epochs: Int = 40, name: String = "grid.json") throws -> URL {
        let url = dir.appendingPathComponent(name)
        let text = """
            {"name": "random", "dataset": "\(repositoryRoot.appendingPathComponent("Data/iris.data").path)", "seeds": [1, 2],
             "search": {"method": "random", "trials": \(trials), "seed": 11},
             "grid": {"hidden_layers": {"depth": {"int_uniform": [1, 2]}, "width": {"log_int_uniform": [4, 32]}},
                      "activation": ["relu", "tanh"], "learning_rate": {"log_uniform": [0.01, 0.5]},
                      "momentum": {"uniform": [0.5, 0.95]}, "optimizer": ["sgd", "momentum"], "epochs": [\(epochs)]}}
            """
        try text.write(to: url, atomically: true, encoding: .utf8)
        return url
    }

    /// Each run's configuration hash and seed, `config_sha256/seed`, in cell order.
    static func configurations(_ path: String) throws -> [String] {
        try Connection(path: path).query("SELECT config_sha256 || '/' || seed FROM runs ORDER BY cell_index") { $0.string(0)! }
    }

    /// The same file draws the same configurations whether one process with one worker, one
    /// with two, or two processes sharing one database train it; each database's runs are the
    /// same cells with the same results.
    @Test func theSameTrialsInEveryProcessAndDatabase() throws {
        let dir = temporaryDirectory()
        let grid = try Self.writeGrid(dir, trials: 6)
        #expect(try exp(["sweep", grid.path, "--db", "one.db", "--jobs", "1", "--quiet"], in: dir).status == 0)
        #expect(try exp(["sweep", grid.path, "--db", "two.db", "--jobs", "2", "--quiet"], in: dir).status == 0)
        var statuses: [Int32?] = [nil, nil]
        let lock = NSLock()
        DispatchQueue.concurrentPerform(iterations: 2) { i in
            let result = try? exp(["sweep", grid.path, "--db", "shared.db", "--jobs", "1", "--quiet"], in: dir)
            lock.withLock { statuses[i] = result?.status }
        }
        #expect(statuses == [0, 0])
        let paths = ["one.db", "two.db", "shared.db"].map { dir.appendingPathComponent($0).path }
        let one = try Self.configurations(paths[0])
        #expect(one.count == 12)
        #expect(Set(one.map { $0.split(separator: "/")[0] }).count == 6)
        for path in paths.dropFirst() {
            #expect(try Self.configurations(path) == one)
            #expect(try cellOutcomes(path) == cellOutcomes(paths[0]))
        }
    }

    /// `kill -9` during a random search, then the same command: every cell finished once,
    /// equal to an uninterrupted sweep.
    @Test func aKilledRandomSearchResumes() throws {
        let dir = temporaryDirectory()
        let grid = try Self.writeGrid(dir, trials: 6, epochs: 400)
        #expect(try exp(["sweep", grid.path, "--db", "reference.db", "--quiet"], in: dir).status == 0)
        let db = dir.appendingPathComponent("runs.db").path
        let process = try start(["sweep", grid.path, "--db", db, "--quiet", "--jobs", "2"])
        waitForFinishedRuns(above: 2, in: db)
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
        #expect(finishedRuns(db) < 12)
        #expect(try exp(["sweep", grid.path, "--db", db, "--quiet"], in: dir).status == 0)
        #expect(finishedRuns(db) == 12)
        #expect(try cellOutcomes(db) == cellOutcomes(dir.appendingPathComponent("reference.db").path))
    }

    /// 4 trials, then the same file with 6: the sweep gains trials 4 and 5 as new cells after
    /// the stored ones, the stored runs untouched; fewer trials or another search seed is
    /// refused, naming the key, exit 2.
    @Test func moreTrialsExtendTheSweep() throws {
        let dir = temporaryDirectory()
        let four = try Self.writeGrid(dir, trials: 4, name: "four.json")
        let six = try Self.writeGrid(dir, trials: 6, name: "six.json")
        #expect(try exp(["sweep", four.path, "--db", "runs.db", "--quiet"], in: dir).status == 0)
        let path = dir.appendingPathComponent("runs.db").path
        let before = try cellOutcomes(path)
        let firstConfigurations = try Self.configurations(path)
        #expect(try exp(["sweep", six.path, "--db", "runs.db", "--quiet"], in: dir).status == 0)
        let after = try cellOutcomes(path)
        #expect(after.count == 12)
        #expect(before.allSatisfy { after[$0.key] == $0.value })
        #expect(Array(try Self.configurations(path).prefix(8)) == firstConfigurations)
        // The six-trial sweep in a fresh database holds the same configurations.
        #expect(try exp(["sweep", six.path, "--db", "fresh.db", "--quiet"], in: dir).status == 0)
        #expect(try Self.configurations(dir.appendingPathComponent("fresh.db").path) == Self.configurations(path))
        let fewer = try exp(["sweep", four.path, "--db", "runs.db"], in: dir)
        #expect(fewer.status == 2)
        #expect(fewer.stderr.contains("search.trials: stored 6, now 4 (trials can only be added)"))
        let reseeded = dir.appendingPathComponent("reseeded.json")
        try String(contentsOf: six, encoding: .utf8).replacingOccurrences(of: #""seed": 11"#, with: #""seed": 12"#)
            .write(to: reseeded, atomically: true, encoding: .utf8)
        let changed = try exp(["sweep", reseeded.path, "--db", "runs.db"], in: dir)
        #expect(changed.status == 2)
        #expect(changed.stderr.contains("search.seed: stored 11, now 12"))
    }

    /// `--dry-run` says what is drawn; a halving method is refused with `--shard`, exit 2,
    /// nothing stored.
    @Test func dryRunAndUnsupportedMethods() throws {
        let dir = temporaryDirectory()
        let grid = try Self.writeGrid(dir, trials: 5)
        let dry = try exp(["sweep", grid.path, "--db", "runs.db", "--dry-run"], in: dir)
        #expect(dry.status == 0)
        #expect(dry.stdout.contains("random search: 5 trials drawn with search seed 11, 5 distinct configurations; "
                                    + "drawn from distributions: hidden_layers (log), momentum, learning_rate (log)"))
        #expect(dry.stdout.contains("would add 10 cells (cells 0-9), 10 in all:"))
        let halving = dir.appendingPathComponent("halving.json")
        try """
            {"name": "sh", "dataset": "\(repositoryRoot.appendingPathComponent("Data/iris.data").path)",
             "search": {"method": "successive_halving", "min_epochs": 1, "max_epochs": 9}, "grid": {"learning_rate": [0.1]}}
            """.write(to: halving, atomically: true, encoding: .utf8)
        let refused = try exp(["sweep", halving.path, "--db", "runs.db", "--shard", "0/2"], in: dir)
        #expect(refused.status == 2)
        #expect(refused.stderr.contains("search.method: successive_halving cannot run with --shard"))
        #expect(!FileManager.default.fileExists(atPath: dir.appendingPathComponent("runs.db").path))
    }
}
