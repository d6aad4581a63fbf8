import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import Testing
@testable import ReportFixtures
@testable import Tracker
@testable import Report

// MARK: Ranking

@Test func rankingUsesValidationAccuracyNotTestAccuracy() throws {
    let fixture = try Fixture()
    // "overfit": best on test, worse on validation. "steady": best on validation, worse on test.
    let overfit = baseline(["learning_rate": "0.5"]), steady = baseline(["learning_rate": "0.01"])
    try fixture.sweep("s", runs: [
        RunSpec(parameters: overfit, seed: 1, validation: 0.90, test: 1.0),
        RunSpec(parameters: overfit, seed: 2, validation: 0.92, test: 1.0),
        RunSpec(parameters: steady, seed: 1, validation: 0.98, test: 0.90),
        RunSpec(parameters: steady, seed: 2, validation: 0.96, test: 0.90),
    ])
    let rows = try ReportWriter.leaderboard(store: fixture.store, sweep: "s")
    #expect(rows.map(\.parameters["learning_rate"]) == ["0.01", "0.5"])
    #expect(rows.map(\.rank) == [1, 2])
    #expect(abs(rows[0].validationAccuracyMean! - 0.97) < 1e-12)
    #expect(abs(rows[1].testAccuracyMean! - 1.0) < 1e-12)
}

@Test func tiesBreakOnLowerStandardDeviationThenHashLikeTheView() throws {
    let fixture = try Fixture()
    let wide = baseline(["batch_size": "8"]), narrow = baseline(["batch_size": "16"])
    let sweepID = try fixture.sweep("ties", runs: [
        RunSpec(parameters: wide, seed: 1, validation: 0.875, test: 0.9),
        RunSpec(parameters: wide, seed: 2, validation: 0.625, test: 0.9),
        RunSpec(parameters: narrow, seed: 1, validation: 0.75, test: 0.9),
        RunSpec(parameters: narrow, seed: 2, validation: 0.75, test: 0.9),
        RunSpec(parameters: baseline(["batch_size": "4"]), seed: 1, validation: 0.5, test: 1),
    ])
    let rows = try ReportWriter.leaderboard(store: fixture.store, sweep: "ties")
    #expect(rows.map { $0.parameters["batch_size"]! } == ["16", "8", "4"])
    let viewOrder = try fixture.store.connection.query(
        "SELECT config_sha256 FROM leaderboard WHERE sweep_id = ?", [.integer(sweepID)]) { $0.string(0)! }
    #expect(rows.map(\.configSHA256) == viewOrder)
}

@Test func divergedAndFailedRunsRankLastAndAreCounted() throws {
    let fixture = try Fixture()
    let unstable = baseline(["learning_rate": "5"]), broken = baseline(["learning_rate": "50"])
    let fine = baseline(["learning_rate": "0.01"])
    try fixture.sweep("d", runs: [
        // The highest validation accuracy of any finished run, but one run diverged.
        RunSpec(parameters: unstable, seed: 1, validation: 1.0, test: 1.0),
        RunSpec(parameters: unstable, seed: 2, status: .diverged),
        RunSpec(parameters: broken, seed: 1, status: .diverged),
        RunSpec(parameters: broken, seed: 2, status: .failed),
        RunSpec(parameters: fine, seed: 1, validation: 0.6, test: 0.6),
        RunSpec(parameters: fine, seed: 2, validation: 0.7, test: 0.7),
    ])
    let rows = try ReportWriter.leaderboard(store: fixture.store, sweep: "d")
    #expect(rows.map { $0.parameters["learning_rate"]! } == ["0.01", "5", "50"])
    #expect(rows[1].divergedRuns == 1 && rows[1].finishedRuns == 1 && rows[1].runs == 2)
    #expect(rows[1].validationAccuracyMean == 1.0)
    #expect(rows[2].divergedRuns == 1 && rows[2].failedRuns == 1 && rows[2].validationAccuracyMean == nil)
    #expect(rows[2].testAccuracyMean == nil)

    _ = try ReportWriter.write(store: fixture.store, options: ReportOptions(outputDirectory: fixture.output))
    let markdown = try String(contentsOf: fixture.output.appendingPathComponent("leaderboard.md"), encoding: .utf8)
    #expect(markdown.contains("6 runs: 3 finished, 2 diverged, 1 failed"))
    let lastRow = try #require(markdown.split(separator: "\n").last { $0.hasPrefix("| 3 |") })
    #expect(lastRow.hasSuffix("| 1/1 | – | 50 |"))  // no finished run: no best run
    #expect(lastRow.contains("| 0/2 |"))
}

// MARK: Report content

/// A sweep over learning rate and hidden layers in which the baseline ranks last.
private func contentFixture() throws -> Fixture {
    let fixture = try Fixture()
    var runs: [RunSpec] = []
    let grid: [(layers: String, rate: String, validation: Double)] = [
        ("[8]", "0.01", 0.97), ("[8]", "0.5", 0.95), ("[16,8]", "0.01", 0.93), ("[16,8]", "0.5", 0.91), ("[3]", "0.1", 0.80),
    ]
    for cell in grid {
        for seed in 1...3 {
            runs.append(RunSpec(parameters: baseline(["hidden_layers": cell.layers, "learning_rate": cell.rate]), seed: seed,
                                validation: cell.validation + Double(seed) / 1000, test: seed == 3 ? 29.0 / 30 : 28.0 / 30,
                                confusion: [[10, 0, 0], [0, 9, 1], [0, 1, 9]]))
        }
    }
    try fixture.sweep("lr-by-layers", runs: runs)
    return fixture
}

@Test func reportFilesAreWritten() throws {
    let fixture = try contentFixture()
    let files = try ReportWriter.write(store: fixture.store, options: ReportOptions(outputDirectory: fixture.output))
    let names = files.map(\.lastPathComponent)
    #expect(names == ["leaderboard.md", "leaderboard-lr-by-layers-curves.svg", "leaderboard-lr-by-layers-parameters.svg",
                      "leaderboard-lr-by-layers-parallel.svg", "leaderboard-lr-by-layers-confusion.svg", "leaderboard.html"])
    for file in files {
        let data = try Data(contentsOf: file)
        #expect(data.count > 200, "\(file.lastPathComponent) is nearly empty")
    }
    let htmlOnly = try ReportWriter.write(store: fixture.store, options: ReportOptions(
        outputDirectory: fixture.directory.appendingPathComponent("html-only"), formats: [.html]))
    #expect(htmlOnly.map(\.lastPathComponent) == ["leaderboard.html"])
}

@Test func tableShowsVaryingParametersColumnsAndTheBaselineRow() throws {
    let fixture = try contentFixture()
    _ = try ReportWriter.write(store: fixture.store, options: ReportOptions(outputDirectory: fixture.output, top: 2))
    let markdown = try String(contentsOf: fixture.output.appendingPathComponent("leaderboard.md"), encoding: .utf8)
    let lines = markdown.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
    let header = try #require(lines.first { $0.hasPrefix("| Rank |") })
    // The statistics first, then the hyperparameters that vary.
    #expect(header == "| Rank | Runs counted | Val. acc. mean | Val. acc. std | Val. rows right | Test acc. mean | Test rows right (95% CI) | Vs. baseline (test rows) | Best epoch | Time (s) | Diverged / failed | Best run | hidden\\_layers | learning\\_rate |")
    let tableRows = lines.filter { $0.hasPrefix("| ") && $0.first == "|" && Int($0.dropFirst(2).prefix { $0.isNumber }) != nil }
    // The top 2, then the baseline at rank 5.
    #expect(tableRows.count == 3)
    #expect(tableRows[0].hasPrefix("| 1 | 3/3 | 97.2% | 0.1 pp |") && tableRows[0].hasSuffix("| \\[8\\] | 0.01 |"))
    // 97.2% and 95.2% are less than one validation row (3.3 points) apart: a tie.
    #expect(tableRows[1].hasPrefix("| 2 (tie) |") && tableRows[1].hasSuffix("| \\[8\\] | 0.5 |"))
    #expect(tableRows[2].hasPrefix("| 5 (baseline) | 3/3 | 80.2% |") && tableRows[2].hasSuffix("| \\[3\\] | 0.1 |"))
    // 2 of 3 runs at 28/30 = 93.3%, one at 29/30 = 96.7%: mean 94.4%. These synthetic runs have
    // no stored models, so there is no row-level figure.
    #expect(tableRows[0].contains("| 94.4% | – | – |"))
    // Constant hyperparameters are listed once, above the table.
    #expect(markdown.contains("Same in every configuration: activation sigmoid, loss mse, init normal, optimizer sgd, batch\\_size 32, epochs 3000"))
    #expect(markdown.contains("test fraction 0.2, validation fraction 0.2, split seed 0; 30 test rows per split (one test error moves test accuracy by 3.3 points)"))
    #expect(markdown.contains("never used to rank or to select"))
    #expect(markdown.contains("Clopper–Pearson"))
    #expect(markdown.contains("![Learning curves of the top configurations](leaderboard-lr-by-layers-curves.svg)"))

    let html = try String(contentsOf: fixture.output.appendingPathComponent("leaderboard.html"), encoding: .utf8)
    #expect(occurrences(of: "<tr class=\"baseline\">", in: html) == 1)
    #expect(html.contains("5 (baseline)"))
    #expect(occurrences(of: "<svg", in: html) == 4)
    #expect(occurrences(of: "<polyline points=", in: html) >= 2, "the parallel coordinates' lines")
    #expect(html.contains("<h4>Hyperparameter importance</h4>"))
    #expect(markdown.contains("#### Hyperparameter importance"))
    #expect(markdown.contains("(leaderboard-lr-by-layers-parallel.svg)"))
    #expect(html.contains("Generated "))
    #expect(html.contains(fixture.store.path))
}

@Test func aMeanTestAccuracyAboveTheBenchmarkIsNeverMarkedAsBeatingIt() throws {
    let fixture = try Fixture()
    try fixture.sweep("good", runs: [
        RunSpec(parameters: baseline(), seed: 1, validation: 0.99, test: 1.0),
        RunSpec(parameters: baseline(), seed: 2, validation: 0.97, test: 29.0 / 30),
    ])
    _ = try ReportWriter.write(store: fixture.store, options: ReportOptions(outputDirectory: fixture.output))
    let markdown = try String(contentsOf: fixture.output.appendingPathComponent("leaderboard.md"), encoding: .utf8)
    #expect(markdown.contains("| 98.3% | – |"))
    #expect(!markdown.contains("✓") && !markdown.contains("beat it") && !markdown.contains("above the 96.1%"))
    #expect(markdown.contains("could not be scored again on their test rows"))
    #expect(markdown.contains("| 1 (baseline) |"))
}

@Test func learningCurvesAreMeansWithMinMaxBandsPerEpoch() throws {
    let fixture = try Fixture()
    let sweepID = try fixture.sweep("curves", runs: [
        RunSpec(parameters: baseline(), seed: 1, validation: 0.8, test: 0.9, epochs: 10),
        RunSpec(parameters: baseline(), seed: 2, validation: 1.0, test: 0.9, epochs: 10),
    ])
    let rows = try ReportWriter.leaderboard(store: fixture.store, sweep: "curves")
    let curves = try LeaderboardQuery.curves(fixture.store, sweepID: sweepID, rows: rows)
    let points = try #require(curves.first?.points)
    #expect(points.map(\.epoch) == Array(1...10))
    // validation accuracy at the last epoch: 0.8 and 1.0
    let last = try #require(points.last?.validationAccuracy)
    #expect(abs(last.mean - 0.9) < 1e-12 && abs(last.min - 0.8) < 1e-12 && abs(last.max - 1.0) < 1e-12)
    #expect(points.allSatisfy { $0.runs == 2 })
    // Long runs are thinned to about 400 points per curve, keeping the last epoch.
    let thinned = try LeaderboardQuery.curves(fixture.store, sweepID: sweepID, rows: rows, maxPoints: 4)
    #expect(thinned.first?.points.map(\.epoch) == [1, 4, 7, 10])
}

@Test func confusionMatrixSumsTheBestConfigurationsRuns() throws {
    let fixture = try Fixture()
    let sweepID = try fixture.sweep("confusion", runs: [
        RunSpec(parameters: baseline(), seed: 1, validation: 0.9, test: 0.9, confusion: [[10, 0], [2, 8]]),
        RunSpec(parameters: baseline(), seed: 2, validation: 0.9, test: 0.9, confusion: [[9, 1], [0, 10]]),
        RunSpec(parameters: baseline(["loss": "cross_entropy"]), seed: 1, validation: 0.5, test: 0.5, confusion: [[0, 10], [0, 10]]),
    ], classNames: ["yes", "no"])
    let rows = try ReportWriter.leaderboard(store: fixture.store, sweep: "confusion")
    let matrix = try #require(try LeaderboardQuery.confusion(fixture.store, sweepID: sweepID, row: rows[0], classNames: ["yes", "no"]))
    #expect(matrix.counts == [[19, 1], [2, 18]])
    #expect(matrix.runs == 2)
}

// MARK: Escaping

@Test func namesAreEscapedInMarkdownHTMLAndSVG() throws {
    let fixture = try Fixture()
    let hostile = ["a|b", "<script>alert(1)</script>", "x&y", "line1\nline2", "say \"q\"", "it's", "`tick`"]
    try fixture.sweep("sweep|<b>bold</b>", runs: [
        RunSpec(parameters: baseline(["activation": "<img src=x>"]), seed: 1, validation: 0.9, test: 0.9,
                confusion: hostile.indices.map { row in hostile.indices.map { $0 == row ? 1 : 0 } }),
        RunSpec(parameters: baseline(["activation": "a|b"]), seed: 1, validation: 0.8, test: 0.9),
    ], datasetName: "data<set>&|", featureNames: hostile, classNames: hostile)
    let files = try ReportWriter.write(store: fixture.store, options: ReportOptions(outputDirectory: fixture.output))

    let markdown = try String(contentsOf: fixture.output.appendingPathComponent("leaderboard.md"), encoding: .utf8)
    #expect(!markdown.contains("<"))
    #expect(!markdown.contains("a|b"))
    #expect(!markdown.contains("x&y"))
    #expect(!markdown.contains("line1\nline2"))
    #expect(markdown.contains("a\\|b"))
    #expect(markdown.contains("&lt;script>alert(1)&lt;/script>"))
    #expect(markdown.contains("x&amp;y"))
    #expect(markdown.contains("line1 line2"))
    #expect(!markdown.contains("`tick`"))
    #expect(markdown.contains("\\`tick\\`"))
    #expect(markdown.contains("Sweep sweep\\|&lt;b>bold&lt;/b>"))
    // Every table line has the same number of unescaped column separators.
    let tableLines = markdown.split(separator: "\n").filter { $0.hasPrefix("|") }
    let separatorCounts = Set(tableLines.filter { $0.hasPrefix("| Rank") || $0.hasPrefix("| 1 ") || $0.hasPrefix("| 2 ") }
        .map { line in line.replacingOccurrences(of: "\\|", with: "").filter { $0 == "|" }.count })
    #expect(separatorCounts.count == 1)

    let html = try String(contentsOf: fixture.output.appendingPathComponent("leaderboard.html"), encoding: .utf8)
    #expect(occurrences(of: "<script", in: html) == 1)  // the page's own sorting script
    #expect(!html.contains("<img"))
    #expect(!html.contains("<b>"))
    #expect(!html.contains("x&y"))
    #expect(!html.contains("data<set>"))
    #expect(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"))
    #expect(html.contains("&lt;img src=x&gt;"))
    #expect(html.contains("x&amp;y"))
    #expect(!html.contains("say \"q\""))
    #expect(html.contains("say &quot;q&quot;"))
    #expect(html.contains("it&#39;s"))

    for file in files where file.pathExtension == "svg" {
        let svg = try String(contentsOf: file, encoding: .utf8)
        #expect(!svg.contains("<script"), "\(file.lastPathComponent)")
        #expect(!svg.contains("<img"), "\(file.lastPathComponent)")
        #expect(!svg.contains("x&y"), "\(file.lastPathComponent)")
        #expect(!svg.contains("line1\nline2"), "\(file.lastPathComponent)")
        #expect(!svg.contains("say \"q\""), "\(file.lastPathComponent)")
    }
    let confusion = try String(contentsOf: fixture.output.appendingPathComponent("leaderboard-sweep-b-bold-b-confusion.svg"), encoding: .utf8)
    #expect(confusion.contains("x&amp;y"))
    #expect(confusion.contains("line1 line2"))
    #expect(confusion.contains("it&#39;s"))
}

// MARK: HTML

@Test func htmlIsSelfContainedAndWellFormed() throws {
    let fixture = try contentFixture()
    _ = try ReportWriter.write(store: fixture.store, options: ReportOptions(outputDirectory: fixture.output))
    let html = try String(contentsOf: fixture.output.appendingPathComponent("leaderboard.html"), encoding: .utf8)
    #expect(html.hasPrefix("<!DOCTYPE html>"))
    #expect(html.contains("<html lang=\"en\">"))
    #expect(html.contains("name=\"viewport\""))
    #expect(html.contains("prefers-color-scheme:dark"))
    #expect(html.contains("class=\"table-wrap\""))
    // Nothing is fetched: no src or href at all, no stylesheet link, no CSS import.
    let fetches = try Regex(#"(?i)\b(src|href)\s*="#)
    #expect(html.firstMatch(of: fetches) == nil)
    #expect(!html.contains("<link"))
    #expect(!html.contains("@import"))
    #expect(!html.contains("url("))
    #expect(!html.contains("http"))
    // Every tag is closed and every attribute quoted: the page parses as XML.
    let parser = XMLParser(data: Data(html.replacingOccurrences(of: "<!DOCTYPE html>", with: "").utf8))
    let parsed = parser.parse()
    #expect(parsed, "line \(parser.lineNumber), column \(parser.columnNumber): \(String(describing: parser.parserError))")
}

@Test func unknownSweepIsAnError() throws {
    let fixture = try contentFixture()
    #expect(throws: ReportError.unknownSweep("nope")) {
        try ReportWriter.leaderboard(store: fixture.store, sweep: "nope")
    }
}

// MARK: Sweeps, data sets, hyperparameter values

@Test func hyperparameterValuesSortNumericallyAndListsByLength() throws {
    let fixture = try contentFixture()
    let sweepID = try #require(try fixture.store.sweep(named: "lr-by-layers")?.id)
    let summary = try LeaderboardQuery.parameters(fixture.store, sweepID: sweepID).summary
    #expect(summary.varying == ["hidden_layers", "learning_rate"])
    #expect(summary.values["hidden_layers"] == ["[3]", "[8]", "[16,8]"])
    #expect(summary.values["learning_rate"] == ["0.01", "0.1", "0.5"])
    #expect(summary.constant.map(\.name) == ["activation", "loss", "init", "optimizer", "batch_size", "epochs"])
}

@Test func sectionsAreGroupedByDataSetAndFilteredBySweepName() throws {
    let fixture = try Fixture()
    try fixture.sweep("wine-grid", runs: [RunSpec(parameters: baseline(), seed: 1, validation: 0.9, test: 0.9)],
                      datasetName: "wine", classNames: ["c1", "c2", "c3"],
                      protocolJSON: #"{"folds":5,"split_seed":7,"test_fraction":0.2}"#)
    try fixture.sweep("iris-grid", runs: [
        RunSpec(parameters: baseline(), seed: 1, validation: 0.9, test: 0.9),
        RunSpec(parameters: baseline(), seed: 2, status: .queued),
    ])
    _ = try ReportWriter.write(store: fixture.store, options: ReportOptions(outputDirectory: fixture.output))
    let markdown = try String(contentsOf: fixture.output.appendingPathComponent("leaderboard.md"), encoding: .utf8)
    let iris = try #require(markdown.range(of: "## Data set iris v1: 150 rows × 4 features, 3 classes"))
    let wine = try #require(markdown.range(of: "## Data set wine v1: 150 rows × 4 features, 3 classes"))
    #expect(iris.lowerBound < wine.lowerBound)
    #expect(markdown.contains("- Protocol: folds 5, test fraction 0.2, split seed 7"))
    // The queued run is counted but has not ended.
    #expect(markdown.contains("2 runs: 1 running, 1 finished"))
    #expect(markdown.contains("| 1 (baseline) | 1/2 |"))

    let only = fixture.directory.appendingPathComponent("wine-only")
    _ = try ReportWriter.write(store: fixture.store, options: ReportOptions(outputDirectory: only, sweeps: ["wine-grid"]))
    let filtered = try String(contentsOf: only.appendingPathComponent("leaderboard.md"), encoding: .utf8)
    #expect(filtered.contains("### Sweep wine-grid"))
    #expect(!filtered.contains("iris-grid"))
}

@Test func emptyDatabaseStillGivesBothFiles() throws {
    let fixture = try Fixture()
    let files = try ReportWriter.write(store: fixture.store, options: ReportOptions(outputDirectory: fixture.output))
    #expect(files.map(\.lastPathComponent) == ["leaderboard.md", "leaderboard.html"])
    let markdown = try String(contentsOf: files[0], encoding: .utf8)
    #expect(markdown.contains("No sweep in the database."))
    let html = try String(contentsOf: files[1], encoding: .utf8)
    #expect(html.contains("No sweep in the database."))
}

/// The benchmark belongs to a sweep: its own with its source, `--benchmark` over it, none
/// without either (and then no benchmark verdict, never the Iris figure).
@Test func eachSweepIsComparedWithItsOwnBenchmark() throws {
    let fixture = try Fixture()
    let runs = [RunSpec(parameters: baseline(), seed: 1, validation: 0.9, test: 0.9)]
    try fixture.sweep("iris", runs: runs, benchmark: Benchmark(testAccuracy: 0.961, source: "the seed network's 49/51"))
    try fixture.sweep("wine", runs: runs, datasetName: "wine")
    let own = try LeaderboardQuery.sweepReport(fixture.store, name: "iris", top: 10)
    let none = try LeaderboardQuery.sweepReport(fixture.store, name: "wine", top: 10)
    let forced = try LeaderboardQuery.sweepReport(fixture.store, name: "wine", benchmark: 0.9, top: 10)
    #expect(own.benchmark == Benchmark(testAccuracy: 0.961, source: "the seed network's 49/51"))
    #expect(none.benchmark == nil)
    #expect(forced.benchmark == Benchmark(testAccuracy: 0.9, source: "set with exp report --benchmark"))
    #expect(ReportText().benchmarkFact(own) == "96.1% test accuracy (the seed network's 49/51)")
    #expect(ReportText().benchmarkFact(none).hasPrefix("none"))
    #expect(ReportText(benchmarkOverride: 0.9).headline.hasPrefix("Benchmark: 90.0% test accuracy for every sweep"))

    _ = try ReportWriter.write(store: fixture.store, options: ReportOptions(outputDirectory: fixture.output))
    let markdown = try String(contentsOf: fixture.output.appendingPathComponent("leaderboard.md"), encoding: .utf8)
    let wine = String(markdown[markdown.range(of: "### Sweep wine")!.lowerBound...])
    let iris = String(markdown[markdown.range(of: "### Sweep iris")!.lowerBound..<markdown.range(of: "### Sweep wine")!.lowerBound])
    #expect(iris.contains("- Benchmark: 96.1% test accuracy (the seed network's 49/51)"))
    #expect(!wine.contains("96.1"))
    #expect(wine.contains("- Benchmark: none (the grid gives no \"benchmark\", and exp report --benchmark was not given), so no benchmark verdict"))
    let html = try String(contentsOf: fixture.output.appendingPathComponent("leaderboard.html"), encoding: .utf8)
    #expect(html.contains("the seed network&#39;s 49/51") || html.contains("the seed network's 49/51"))
}

// MARK: Ranking metric

/// Ranked by another validation metric, the order follows it (log loss: lower first), and
/// configurations whose runs lack it rank last and are counted.
@Test func anotherMetricRanksAndRunsWithoutItRankLast() throws {
    let fixture = try Fixture()
    let a = baseline(["learning_rate": "0.5"]), b = baseline(["learning_rate": "0.01"]), old = baseline(["learning_rate": "0.2"])
    try fixture.sweep("m", runs: [
        // a: higher accuracy; b: higher balanced accuracy and lower log loss; old: stored before the metrics.
        RunSpec(parameters: a, seed: 1, validation: 0.95, test: 0.9, metrics: [.balancedAccuracy: 0.80, .macroF1: 0.7, .logLoss: 0.6]),
        RunSpec(parameters: a, seed: 2, validation: 0.95, test: 0.9, metrics: [.balancedAccuracy: 0.84, .macroF1: 0.7, .logLoss: 0.4]),
        RunSpec(parameters: b, seed: 1, validation: 0.90, test: 0.9, metrics: [.balancedAccuracy: 0.91, .macroF1: 0.9, .logLoss: 0.2]),
        RunSpec(parameters: old, seed: 1, validation: 0.99, test: 0.9),
    ])
    func order(_ metric: RankingMetric) throws -> [String] {
        try ReportWriter.leaderboard(store: fixture.store, sweep: "m", metric: metric).map { $0.parameters["learning_rate"]! }
    }
    #expect(try order(.accuracy) == ["0.2", "0.5", "0.01"])
    #expect(try order(.balancedAccuracy) == ["0.01", "0.5", "0.2"])
    #expect(try order(.macroF1) == ["0.01", "0.5", "0.2"])
    #expect(try order(.logLoss) == ["0.01", "0.5", "0.2"])
    let rows = try ReportWriter.leaderboard(store: fixture.store, sweep: "m", metric: .balancedAccuracy)
    #expect(abs(rows[1].validationMean(.balancedAccuracy)! - 0.82) < 1e-12)
    #expect(abs(rows[1].validationMetrics[.balancedAccuracy]!.std! - 0.02 * 2.0.squareRoot()) < 1e-12)
    #expect(rows[2].validationMean(.balancedAccuracy) == nil)

    var options = ReportOptions(outputDirectory: fixture.output)
    options.metric = .logLoss
    _ = try ReportWriter.write(store: fixture.store, options: options)
    let markdown = try String(contentsOf: fixture.output.appendingPathComponent("leaderboard.md"), encoding: .utf8)
    #expect(markdown.contains("ranked by mean validation log loss (lower is better)"))
    #expect(markdown.contains("1 configuration has finished runs without a validation log loss (stored before exp stored it) and ranks last."))
    #expect(markdown.contains("| Val. log loss mean | Val. log loss std |"))
    #expect(markdown.contains("Best by validation log loss: #1"))
}
