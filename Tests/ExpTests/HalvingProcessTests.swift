import Determinism
import Foundation
import Testing
import TestSupport
import Tracker

/// A successive-halving sweep run as users run it: killed with `kill -9` mid-rung and resumed,
/// or shared by two processes, it trains each run once per rung, decides each rung once, and
/// ends equal to one uninterrupted process.
@Suite(.serialized, .tags(.slow), .skippedWhenFast) struct HalvingProcessTests {
    /// Nine configurations x two seeds over the shipped Iris file, rungs of 20, 60 and 180 epochs.
    static func writeGrid(_ dir: URL) throws -> URL {
        let url = dir.appendingPathComponent("halving.json")
        try """
            {"name": "halving", "dataset": "\(repositoryRoot.appendingPathComponent("Data/iris.data").path)", "seeds": [1, 2],
             "search": {"method": "successive_halving", "min_epochs": 20, "max_epochs": 180, "reduction_factor": 3},
             "grid": {"hidden_layers": [[8], [16, 8], [32]], "learning_rate": [0.02, 0.1, 0.5], "activation": ["relu"]}}
            """.write(to: url, atomically: true, encoding: .utf8)
        return url
    }

    /// Each run's status, epochs, rung decisions, training losses and final weights, by cell;
    /// and the rung rows in all.
    static func outcomes(_ path: String) throws -> (runs: [String: String], rungRows: Int) {
        let connection = try Connection(path: path)
        let rows = try connection.query("""
            SELECT r.config_sha256 || '/' || r.seed, r.status || ' ' || r.epochs_run || ' '
                   || COALESCE((SELECT group_concat(g.rung || ':' || g.outcome || ':' || g.rank || ':' || g.value, ',')
                                FROM rungs g WHERE g.run_id = r.run_id), '') || ' '
                   || (SELECT group_concat(train_loss, ',') FROM epoch_metrics m WHERE m.run_id = r.run_id) || ' '
                   || (SELECT hex(data) FROM weights w WHERE w.run_id = r.run_id AND w.kind = 'final')
            FROM runs r
            """) { ($0.string(0)!, $0.string(1) ?? "") }
        return (Dictionary(uniqueKeysWithValues: rows), try connection.scalar("SELECT COUNT(*) FROM rungs")?.int ?? 0)
    }

    /// Epoch metrics stored so far (0 while the file does not exist yet).
    static func storedEpochs(_ path: String) -> Int {
        guard FileManager.default.fileExists(atPath: path) else { return 0 }
        return (try? Connection(path: path).scalar("SELECT COUNT(*) FROM epoch_metrics")?.int) ?? 0
    }

    @Test func killedMidRungTheSweepResumesToTheSameOutcome() throws {
        let dir = temporaryDirectory()
        let gridURL = try Self.writeGrid(dir)
        let reference = try exp(["sweep", gridURL.path, "--db", "reference.db", "--quiet"], in: dir)
        #expect(reference.status == 0, "\(reference.stderr)")
        let expected = try Self.outcomes(dir.appendingPathComponent("reference.db").path)
        // 18 runs at 20 epochs, 6 promoted to 60, 2 to 180: rung rows 18 + 6.
        #expect(expected.rungRows == 24)
        #expect(expected.runs.values.filter { $0.hasPrefix("finished 180 ") }.count == 2)

        let db = dir.appendingPathComponent("runs.db").path
        var delays = SplitMix64(seed: 7)  // reproducible kill moments
        var stored = 0
        for trial in 0..<8 {
            let process = try start(["sweep", gridURL.path, "--db", db, "--quiet", "--jobs", "2"])
            let deadline = Date().addingTimeInterval(60)
            while Date() < deadline, Self.storedEpochs(db) <= stored, process.isRunning { usleep(2_000) }
            usleep(UInt32(truncatingIfNeeded: delays.next()) % 30_000)
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
            #expect(try Connection(path: db).scalar("PRAGMA integrity_check")?.string == "ok", "trial \(trial)")
            stored = Self.storedEpochs(db)
        }
        // The kills left the sweep unfinished: the resume has rungs still to train and decide.
        #expect(try Self.outcomes(db).runs != expected.runs)
        let resumed = try exp(["sweep", gridURL.path, "--db", db, "--quiet"], in: dir)
        #expect(resumed.status == 0, "\(resumed.stderr)")
        let outcome = try Self.outcomes(db)
        #expect(outcome.rungRows == 24)
        #expect(outcome.runs == expected.runs)
    }

    @Test func twoProcessesDecideEachRungOnce() throws {
        let dir = temporaryDirectory()
        let gridURL = try Self.writeGrid(dir)
        #expect(try exp(["sweep", gridURL.path, "--db", "reference.db", "--quiet"], in: dir).status == 0)
        var results: [ProgramResult?] = [nil, nil]
        let lock = NSLock()
        DispatchQueue.concurrentPerform(iterations: 2) { i in
            let result = try? exp(["sweep", gridURL.path, "--db", "runs.db", "--jobs", "1", "--quiet"], in: dir)
            lock.withLock { results[i] = result }
        }
        for result in results {
            #expect(result?.status == 0, "\(result?.stderr ?? "did not run")")
            #expect(result?.stderr.contains("locked") == false)
        }
        let shared = try Self.outcomes(dir.appendingPathComponent("runs.db").path)
        #expect(shared.rungRows == 24)
        #expect(shared.runs == (try Self.outcomes(dir.appendingPathComponent("reference.db").path)).runs)
        let connection = try Connection(path: dir.appendingPathComponent("runs.db").path)
        // Each run trained once per rung: one attempt for each of its claims (1 + its promotions).
        #expect(try connection.scalar("""
            SELECT COUNT(*) FROM runs r
            WHERE r.attempt <> 1 + (SELECT COUNT(*) FROM rungs g WHERE g.run_id = r.run_id AND g.outcome = 'promoted')
            """)?.int == 0)
    }

    @Test func shardsAreRefused() throws {
        let dir = temporaryDirectory()
        let gridURL = try Self.writeGrid(dir)
        let refused = try exp(["sweep", gridURL.path, "--db", "shard.db", "--shard", "0/2"], in: dir)
        #expect(refused.status == 2)
        #expect(refused.stderr.contains("search.method: successive_halving cannot run with --shard"))
        #expect(!FileManager.default.fileExists(atPath: dir.appendingPathComponent("shard.db").path))
    }
}

/// The report of a halving search ranks the configurations that reached the top rung and says
/// what the search spent.
@Suite struct HalvingReportTests {
    @Test func theReportRanksTheTopRungAndShowsTheBudgetSpent() throws {
        let dir = temporaryDirectory()
        let gridURL = dir.appendingPathComponent("halving.json")
        try """
            {"name": "halving", "dataset": "\(repositoryRoot.appendingPathComponent("Data/iris.data").path)", "seeds": [1],
             "search": {"method": "successive_halving", "min_epochs": 2, "max_epochs": 18, "reduction_factor": 3},
             "grid": {"hidden_layers": [[4], [8], [16]], "learning_rate": [0.05, 0.2, 0.8]}}
            """.write(to: gridURL, atomically: true, encoding: .utf8)
        let swept = try exp(["sweep", gridURL.path, "--db", "runs.db", "--quiet"], in: dir)
        #expect(swept.status == 0, "\(swept.stderr)")
        let reported = try exp(["report", "--db", "runs.db", "--out", "report"], in: dir)
        #expect(reported.status == 0, "\(reported.stderr)")
        let markdown = try String(contentsOf: dir.appendingPathComponent("report/leaderboard.md"), encoding: .utf8)
        // 9 configurations at 2 epochs, 3 at 6, 1 at 18: 18 + 12 + 12 = 42 of 9 x 18 = 162 epochs.
        #expect(markdown.contains("- Runs: 9 runs: 1 finished, 8 pruned"))
        #expect(markdown.contains("- Successive halving: 9 configurations, 1 reached the top rung (18 epochs) after 2 rungs decided; "
                                  + "8 runs pruned; budget spent: 42 of the 162 epochs a full grid would train (25.9%)"))
        #expect(markdown.contains("Top 1 of 1 configurations"))
        let html = try String(contentsOf: dir.appendingPathComponent("report/leaderboard.html"), encoding: .utf8)
        #expect(html.contains("Successive halving"))
        // Every run's curve, pruned ones apart, with a dashed line at each of the three budgets.
        let chart = try String(contentsOf: dir.appendingPathComponent("report/leaderboard-halving-rungs.svg"), encoding: .utf8)
        #expect(chart.components(separatedBy: "<polyline ").count - 1 == 9)
        #expect(chart.components(separatedBy: "class=\"pruned\"").count - 1 == 8 + 1)  // 8 runs and the legend
        #expect(chart.contains("rungs at 2, 6, 18 epochs"))
        #expect(markdown.contains("](leaderboard-halving-rungs.svg)"))
        #expect(html.contains("rungs marked"))
    }
}

extension HalvingReportTests {
    /// Runs pruned at a first rung of one epoch have one point each: drawn as points.
    @Test func runsOfOneEpochAreDrawnAsPoints() throws {
        let dir = temporaryDirectory()
        let gridURL = dir.appendingPathComponent("halving.json")
        try """
            {"name": "halving", "dataset": "\(repositoryRoot.appendingPathComponent("Data/iris.data").path)", "seeds": [1],
             "search": {"method": "successive_halving", "min_epochs": 1, "max_epochs": 9, "reduction_factor": 3},
             "grid": {"hidden_layers": [[4], [8], [16]], "learning_rate": [0.05, 0.2, 0.8]}}
            """.write(to: gridURL, atomically: true, encoding: .utf8)
        let swept = try exp(["sweep", gridURL.path, "--db", "runs.db", "--quiet"], in: dir)
        #expect(swept.status == 0, "\(swept.stderr)")
        let reported = try exp(["report", "--db", "runs.db", "--out", "report"], in: dir)
        #expect(reported.status == 0, "\(reported.stderr)")
        let chart = try String(contentsOf: dir.appendingPathComponent("report/leaderboard-halving-rungs.svg"), encoding: .utf8)
        // 9 configurations at 1 epoch -> 3 at 3 -> 1 at 9: 6 runs of one epoch, 3 curves.
        #expect(chart.components(separatedBy: "<circle ").count - 1 == 6)
        #expect(chart.components(separatedBy: "class=\"pruned point\"").count - 1 == 6)
        #expect(chart.components(separatedBy: "<polyline ").count - 1 == 3)
        #expect(chart.contains("svg.chart .point.pruned{fill:"))
    }
}

/// A configuration that reached a halving search's top rung is stored with the top rung's
/// epochs, so `exp train` given it alone trains the same model.
@Suite struct HalvingRetrainTests {
    @Test func theTopRunsConfigurationRetrainedByExpTrainGivesTheSameWeights() throws {
        let dir = temporaryDirectory()
        let iris = repositoryRoot.appendingPathComponent("Data/iris.data").path
        let gridURL = dir.appendingPathComponent("halving.json")
        try """
            {"name": "halving", "dataset": "\(iris)", "seeds": [3],
             "protocol": {"test_fraction": 0.2, "validation_fraction": 0.2, "split_seed": 0},
             "search": {"method": "successive_halving", "min_epochs": 2, "max_epochs": 18, "reduction_factor": 3},
             "grid": {"hidden_layers": [[4], [8], [16]], "learning_rate": [0.05, 0.2, 0.8]}}
            """.write(to: gridURL, atomically: true, encoding: .utf8)
        let swept = try exp(["sweep", gridURL.path, "--db", "runs.db", "--quiet"], in: dir)
        #expect(swept.status == 0, "\(swept.stderr)")
        let connection = try Connection(path: dir.appendingPathComponent("runs.db").path)
        // Every configuration, pruned or not, is stored with the top rung's 18 epochs.
        #expect(try connection.query("SELECT DISTINCT value_text FROM params WHERE name = 'epochs'") { $0.string(0) } == ["18"])
        let top = try connection.query("SELECT config, hex((SELECT data FROM weights w WHERE w.run_id = r.run_id AND w.kind = 'final')) "
                                       + "FROM runs r WHERE status = 'finished'") { ($0.string(0)!, $0.string(1)!) }
        #expect(top.count == 1)
        try top[0].0.write(to: dir.appendingPathComponent("top.json"), atomically: true, encoding: .utf8)
        let trained = try exp(["train", "--data", iris, "--config", "top.json", "--seed", "3", "--db", "train.db"], in: dir)
        #expect(trained.status == 0, "\(trained.stderr)")
        let retrained = try Connection(path: dir.appendingPathComponent("train.db").path)
        #expect(try retrained.scalar("SELECT epochs_run FROM runs")?.int == 18)
        #expect(try retrained.query("SELECT hex(data) FROM weights WHERE kind = 'final'") { $0.string(0)! } == [top[0].1])
    }
}
