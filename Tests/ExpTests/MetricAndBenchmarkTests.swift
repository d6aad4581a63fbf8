import Foundation
import Testing
import TestSupport
import Tracker

/// `--metric` of `exp report` and `exp best`, the metric columns of `exp runs`, and the grid's
/// benchmark in the report, on the real executable.
@Suite struct MetricAndBenchmarkTests {
    func json(_ text: String) throws -> Any { try JSONSerialization.jsonObject(with: Data(text.utf8)) }

    /// A sweep of 2 learning rates x 2 seeds on Iris.
    func sweptFolder() throws -> URL {
        try sweptIrisFolder(name: "lr", seeds: [1, 2], grid: #"{"epochs": [8], "hidden_layers": [[4]], "learning_rate": [0.02, 0.5]}"#)
    }

    @Test func runsListsFiltersAndSortsByTheStoredMetrics() throws {
        let dir = try sweptFolder()
        let columns = "run_id,config_sha256,validation_accuracy,validation_balanced_accuracy,validation_macro_f1,validation_log_loss,"
            + "test_balanced_accuracy,test_macro_f1,test_log_loss"
        let listed = try exp(["runs", "--json", "--where", "validation_balanced_accuracy>=0", "--sort", "validation_log_loss",
                              "--columns", columns], in: dir)
        #expect(listed.status == 0, "\(listed.stderr)")
        let runs = try #require(try json(listed.stdout) as? [[String: Any]])
        #expect(runs.count == 4)
        for run in runs {
            for name in ["validation_balanced_accuracy", "validation_macro_f1", "test_balanced_accuracy", "test_macro_f1"] {
                let value = try #require(run[name] as? Double, "\(name) of run \(run["run_id"]!)")
                #expect((0...1).contains(value))
            }
            #expect((run["validation_log_loss"] as? Double ?? -1) > 0)
            #expect((run["test_log_loss"] as? Double ?? -1) > 0)
        }
        let losses = runs.map { $0["validation_log_loss"] as! Double }
        #expect(losses == losses.sorted())

        let unknown = try exp(["runs", "--where", "validation_f1>0.5"], in: dir)
        #expect(unknown.status == 2)
        #expect(unknown.stderr.contains("unknown name 'validation_f1'") && unknown.stderr.contains("validation_macro_f1"), "\(unknown.stderr)")
        let help = try exp(["runs", "--help"], in: dir)
        #expect(help.stdout.contains("test_log_loss"))

        // exp best --metric log_loss: the configuration of the lowest mean log loss, its run of the lowest log loss.
        let best = try #require(try json(try exp(["best", "--sweep", "lr", "--metric", "log_loss", "--json"], in: dir).stdout) as? [String: Any])
        #expect(best["ranked_by"] as? String == "log_loss")
        let byConfig = Dictionary(grouping: runs) { $0["config_sha256"] as! String }
        let means = byConfig.mapValues { $0.map { $0["validation_log_loss"] as! Double }.reduce(0, +) / Double($0.count) }
        let sha = try #require(best["config_sha256"] as? String)
        #expect(means[sha] == means.values.min())
        #expect(best["validation_log_loss"] as? Double == byConfig[sha]!.map { $0["validation_log_loss"] as! Double }.min())
        let configuration = try #require(best["configuration"] as? [String: Any])
        #expect(abs((configuration["validation_log_loss_mean"] as? Double ?? -1) - means[sha]!) < 1e-12)
        let bad = try exp(["best", "--sweep", "lr", "--metric", "f1"], in: dir)
        #expect(bad.status == 2)
        #expect(bad.stderr.contains("balanced_accuracy"), "\(bad.stderr)")

        let report = try exp(["report", "--metric", "balanced_accuracy", "--format", "md"], in: dir)
        #expect(report.status == 0, "\(report.stderr)")
        let markdown = try String(contentsOf: dir.appendingPathComponent("reports/leaderboard.md"), encoding: .utf8)
        #expect(markdown.contains("ranked by mean validation balanced accuracy"))
        #expect(markdown.contains("Val. bal. acc. mean"))
        #expect(markdown.contains("Best by validation balanced accuracy: #1"))
        #expect(try exp(["report", "--metric", "auc"], in: dir).status == 2)
    }

    /// Runs stored before the metrics existed (their columns NULL) rank last under another
    /// metric, and the report counts them; `exp best` by that metric refuses a sweep with none.
    @Test func runsWithoutTheMetricRankLastAndAreCounted() throws {
        let dir = try sweptFolder()
        let db = try Connection(path: dir.appendingPathComponent("runs.db").path)
        let columns = RankingMetric.added.flatMap { [$0.validationColumn, $0.testColumn] }.map { "\($0) = NULL" }.joined(separator: ", ")
        try db.execute("""
            UPDATE runs SET \(columns) WHERE config_sha256 = (SELECT config_sha256 FROM leaderboard ORDER BY validation_accuracy_mean DESC, config_sha256 LIMIT 1)
            """)
        let report = try exp(["report", "--metric", "macro_f1", "--format", "md"], in: dir)
        #expect(report.status == 0, "\(report.stderr)")
        let markdown = try String(contentsOf: dir.appendingPathComponent("reports/leaderboard.md"), encoding: .utf8)
        #expect(markdown.contains("1 configuration has finished runs without a validation macro F1 (stored before exp stored it) and ranks last."))
        let ranked = try #require(try json(try exp(["best", "--sweep", "lr", "--metric", "macro_f1", "--json"], in: dir).stdout) as? [String: Any])
        #expect(ranked["validation_macro_f1"] as? Double != nil)

        try db.execute("UPDATE runs SET \(columns)")
        let none = try exp(["best", "--sweep", "lr", "--metric", "macro_f1"], in: dir)
        #expect(none.status == 2)
        #expect(none.stderr.contains("no finished run with validation macro F1"), "\(none.stderr)")
        #expect(try exp(["best", "--sweep", "lr"], in: dir).status == 0)
    }

    func writeGrid(_ dir: URL, benchmark: String?) throws {
        let data = repositoryRoot.appendingPathComponent("Data/iris.data").path
        try """
            {
              "name": "bench",
              "dataset": "\(data)",
              "seeds": [1],\(benchmark.map { "\n  \"benchmark\": " + $0 + "," } ?? "")
              "grid": {"epochs": [5], "hidden_layers": [[4]]}
            }
            """.write(to: dir.appendingPathComponent("bench.json"), atomically: true, encoding: .utf8)
    }

    func reportText(_ dir: URL, _ extra: [String] = []) throws -> String {
        let result = try exp(["report", "--format", "md"] + extra, in: dir)
        try #require(result.status == 0, "\(result.stderr)")
        return try String(contentsOf: dir.appendingPathComponent("reports/leaderboard.md"), encoding: .utf8)
    }

    @Test func theReportUsesEachSweepsOwnBenchmarkAndAResumeUpdatesIt() throws {
        let dir = temporaryDirectory()
        try writeGrid(dir, benchmark: #"{"test_accuracy": 0.961, "source": "the seed network"}"#)
        #expect(try exp(["sweep", "bench.json", "--quiet"], in: dir).status == 0)
        #expect(try reportText(dir).contains("- Benchmark: 96.1% test accuracy (the seed network)"))

        try writeGrid(dir, benchmark: #"{"test_accuracy": 0.9, "source": "a paper, table 2"}"#)
        let resumed = try exp(["sweep", "bench.json", "--quiet"], in: dir)
        #expect(resumed.status == 0, "\(resumed.stderr)")
        let updated = try reportText(dir)
        #expect(updated.contains("- Benchmark: 90.0% test accuracy (a paper, table 2)"))
        #expect(updated.contains("a true accuracy of 90.0%"))
        #expect(!updated.contains("96.1"))
        let runs = try #require(try json(try exp(["runs", "--json"], in: dir).stdout) as? [[String: Any]])
        #expect(runs.count == 1)

        let forced = try reportText(dir, ["--benchmark", "0.8"])
        #expect(forced.contains("- Benchmark: 80.0% test accuracy (set with exp report --benchmark)"))

        try writeGrid(dir, benchmark: nil)
        #expect(try exp(["sweep", "bench.json", "--quiet"], in: dir).status == 0)
        let none = try reportText(dir)
        #expect(none.contains("- Benchmark: none"))
        #expect(none.contains("No benchmark for this sweep"))
        #expect(!none.contains("96.1") && !none.contains("90.0%"))

        try writeGrid(dir, benchmark: #"{"test_accuracy": 96.1, "source": ""}"#)
        let bad = try exp(["sweep", "bench.json", "--quiet"], in: dir)
        #expect(bad.status == 2)
        #expect(bad.stderr.contains("bench.json: line 5, column 34: benchmark.test_accuracy: must be a fraction in [0, 1]"), "\(bad.stderr)")
        #expect(bad.stderr.contains("benchmark.source: must not be empty"), "\(bad.stderr)")
    }

    @Test func theShippedGridsCarryABenchmarkOnlyWhereAFigureIsPublished() throws {
        let grids = repositoryRoot.appendingPathComponent("Data/grids")
        for file in try FileManager.default.contentsOfDirectory(atPath: grids.path) where file.hasSuffix(".json") {
            let object = try #require(try json(try String(contentsOf: grids.appendingPathComponent(file), encoding: .utf8)) as? [String: Any])
            let benchmark = object["benchmark"] as? [String: Any]
            if file.contains("iris") {
                #expect(benchmark?["test_accuracy"] as? Double == 0.961, "\(file)")
                #expect((benchmark?["source"] as? String)?.contains("49 of 51 test rows") == true, "\(file)")
            } else {
                #expect(benchmark == nil, "\(file): no published figure is recorded for it")
            }
        }
    }
}
