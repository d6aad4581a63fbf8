import Foundation
import Testing
import TestSupport
import Tracker

/// `exp best`, `exp predict --sweep NAME --best` and `--ensemble`.
@Suite struct BestModelTests {
    /// A sweep of 2 learning rates x 2 seeds on Iris, and 5 rows of it to predict.
    func sweptFolder() throws -> URL {
        let dir = try sweptIrisFolder(name: "lr", seeds: [1, 2], grid: #"{"epochs": [8], "hidden_layers": [[4]], "learning_rate": [0.02, 0.5]}"#)
        let data = repositoryRoot.appendingPathComponent("Data/iris.data").path
        let iris = try String(contentsOfFile: data, encoding: .utf8).split(separator: "\n")
        try ([0, 60, 70, 120, 149].map { iris[$0].split(separator: ",").prefix(4).joined(separator: ",") }.joined(separator: "\n") + "\n")
            .write(to: dir.appendingPathComponent("new.csv"), atomically: true, encoding: .utf8)
        return dir
    }

    func json(_ text: String) throws -> Any { try JSONSerialization.jsonObject(with: Data(text.utf8)) }

    @Test func bestIsTheBestRunOfTheFirstRankedConfiguration() throws {
        let dir = try sweptFolder()
        let best = try exp(["best", "--sweep", "lr"], in: dir)
        #expect(best.status == 0, "\(best.stderr)")
        let id = try #require(Int(best.stdout.trimmingCharacters(in: .whitespacesAndNewlines)))
        let runs = try #require(try json(try exp(["runs", "--json", "--columns", "run_id,config_sha256,validation_accuracy"], in: dir).stdout)
            as? [[String: Any]])
        let byConfig = Dictionary(grouping: runs) { $0["config_sha256"] as! String }
        let means = byConfig.mapValues { runs in runs.map { $0["validation_accuracy"] as! Double }.reduce(0, +) / Double(runs.count) }
        let chosen = try #require(runs.first { $0["run_id"] as? Int == id })
        let sha = chosen["config_sha256"] as! String
        #expect(means[sha] == means.values.max())
        #expect(byConfig[sha]!.allSatisfy { ($0["validation_accuracy"] as! Double) <= chosen["validation_accuracy"] as! Double })

        let detail = try #require(try json(try exp(["best", "--sweep", "lr", "--json"], in: dir).stdout) as? [String: Any])
        #expect(detail["run_id"] as? Int == id)
        #expect(detail["config_sha256"] as? String == sha)
        #expect((detail["config"] as? [String: Any])?["hidden_layers"] as? [Int] == [4])
        let configuration = try #require(detail["configuration"] as? [String: Any])
        #expect(Set(configuration["run_ids"] as? [Int] ?? []) == Set(byConfig[sha]!.map { $0["run_id"] as! Int }))
        #expect(abs((configuration["validation_accuracy_mean"] as? Double ?? -1) - means[sha]!) < 1e-12)

        // The report's leaderboard names the same run as the first configuration's best run,
        // and every configuration's best run is one of its own finished runs with its highest
        // validation accuracy.
        let report = try exp(["report", "--sweep", "lr", "--format", "md", "--out", "out"], in: dir)
        #expect(report.status == 0, "\(report.stderr)")
        let markdown = try String(contentsOf: dir.appendingPathComponent("out/leaderboard.md"), encoding: .utf8)
        let lines = markdown.split(separator: "\n").filter { $0.hasPrefix("| ") }
        let header = try #require(lines.first { $0.contains("| Best run |") }).split(separator: "|").map { $0.trimmingCharacters(in: .whitespaces) }
        let column = try #require(header.firstIndex(of: "Best run"))
        let ranked = lines.filter { $0.hasPrefix("| 1 ") || $0.hasPrefix("| 2 ") }.map { $0.split(separator: "|").map { $0.trimmingCharacters(in: .whitespaces) } }
        #expect(ranked.count == 2)
        #expect(ranked.first?[column] == "\(id)")
        for row in ranked {
            let run = try #require(runs.first { $0["run_id"] as? Int == Int(row[column]) }, "\(row)")
            let own = byConfig[run["config_sha256"] as! String]!
            #expect(own.allSatisfy { ($0["validation_accuracy"] as! Double) <= run["validation_accuracy"] as! Double })
        }

        let missing = try exp(["best", "--sweep", "nosuch"], in: dir)
        #expect(missing.status == 2)
        #expect(missing.stderr.contains("no sweep 'nosuch'") && missing.stderr.contains("lr"), "\(missing.stderr)")
    }

    @Test func aSweepWithoutAFinishedRunIsRejected() throws {
        let dir = temporaryDirectory()
        let data = repositoryRoot.appendingPathComponent("Data/iris.data").path
        try """
            {"name": "later", "dataset": "\(data)", "seeds": [1], "grid": {"epochs": [2]}}
            """.write(to: dir.appendingPathComponent("later.json"), atomically: true, encoding: .utf8)
        // The second of two shards trains nothing of a one-cell sweep: its run stays queued.
        let shard = try exp(["sweep", "later.json", "--shard", "1/2", "--quiet"], in: dir)
        try #require(shard.status == 0, "\(shard.stderr)")
        let best = try exp(["best", "--sweep", "later"], in: dir)
        #expect(best.status == 2)
        #expect(best.stderr.contains("sweep 'later' has no finished run"), "\(best.stderr)")
        let predicted = try exp(["predict", "--sweep", "later", "--best", "x.csv"], in: dir)
        #expect(predicted.status == 2)
    }

    @Test func predictWithTheBestRunAndTheEnsemble() throws {
        let dir = try sweptFolder()
        let id = try exp(["best", "--sweep", "lr"], in: dir).stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        let byRun = try exp(["predict", "--run", id, "new.csv"], in: dir)
        let byBest = try exp(["predict", "--sweep", "lr", "--best", "new.csv"], in: dir)
        #expect(byBest.status == 0, "\(byBest.stderr)")
        #expect(byBest.stdout == byRun.stdout)

        let detail = try #require(try json(try exp(["best", "--sweep", "lr", "--json"], in: dir).stdout) as? [String: Any])
        let ids = try #require((detail["configuration"] as? [String: Any])?["run_ids"] as? [Int])
        #expect(ids.count == 2)
        func probabilities(_ arguments: [String]) throws -> [[Double]] {
            let result = try exp(["predict"] + arguments + ["new.csv"], in: dir)
            try #require(result.status == 0, "\(result.stderr)")
            return result.stdout.split(separator: "\n").dropFirst().map { $0.split(separator: ",").dropFirst(2).map { Double($0)! } }
        }
        let ensemble = try probabilities(["--sweep", "lr", "--ensemble"])
        let members = try ids.map { try probabilities(["--run", "\($0)"]) }
        #expect(ensemble.count == 5)
        for row in 0..<5 {
            for j in 0..<3 {
                let mean = members.map { $0[row][j] }.reduce(0, +) / Double(members.count)
                #expect(abs(ensemble[row][j] - mean) < 1e-12)
            }
        }
        let both = try exp(["predict", "--run", id, "--sweep", "lr", "--best", "new.csv"], in: dir)
        #expect(both.status == 2)
        let bare = try exp(["predict", "--sweep", "lr", "new.csv"], in: dir)
        #expect(bare.status == 2 && bare.stderr.contains("--best or --ensemble"), "\(bare.stderr)")
        let evaluated = try exp(["evaluate", "--sweep", "lr", "--best", "new.csv"], in: dir)
        #expect(evaluated.status == 2)  // no label column
    }

    /// The report's ensemble row and `exp predict --ensemble` are one classifier: on the split's
    /// validation and test rows, the rows right the report gives are the rows the predictions get right.
    @Test func theReportsEnsembleRowIsWhatPredictEnsemblePredicts() throws {
        let dir = try sweptFolder()
        let lines = try String(contentsOf: repositoryRoot.appendingPathComponent("Data/iris.data"), encoding: .utf8)
            .split(separator: "\n").filter { !$0.isEmpty }.map { $0.split(separator: ",").map(String.init) }
        try (lines.map { $0.prefix(4).joined(separator: ",") }.joined(separator: "\n") + "\n")
            .write(to: dir.appendingPathComponent("all.csv"), atomically: true, encoding: .utf8)
        let predicted = try exp(["predict", "--sweep", "lr", "--ensemble", "all.csv", "--format", "json"], in: dir)
        try #require(predicted.status == 0, "\(predicted.stderr)")
        let classes = try #require(try json(predicted.stdout) as? [[String: Any]]).map { $0["class"] as! String }
        #expect(classes.count == 150)

        let store = try RunStore(path: dir.appendingPathComponent("runs.db").path, readOnly: true)
        let sweepID = try #require(try store.sweep(named: "lr")?.id)
        let split = try store.split(id: try #require(try store.scorableRuns(sweepID: sweepID, configSHA256s: []).first).splitID)
        func right(_ rows: [Int]) -> Int { rows.filter { classes[$0] == lines[$0][4] }.count }

        let report = try exp(["report", "--out", "out", "--format", "md"], in: dir)
        try #require(report.status == 0, "\(report.stderr)")
        let markdown = try String(contentsOf: dir.appendingPathComponent("out/leaderboard.md"), encoding: .utf8)
        let row = try #require(markdown.split(separator: "\n").first { $0.hasPrefix("| ensemble of 1 |") })
        let cells = row.split(separator: "|").map { $0.trimmingCharacters(in: .whitespaces) }
        #expect(cells[1] == "2 models")
        #expect(cells[4] == "\(right(split.validation))/\(split.validation.count)", "\(row)")
        #expect(cells[6].hasPrefix("\(right(split.test))/\(split.test.count) "), "\(row)")  // then the interval
    }
}
