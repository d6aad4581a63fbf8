import Determinism
import Foundation
import NeuralNet
import Testing
@testable import ReportFixtures
@testable import Scoring
import Tracker
@testable import Report

/// Three classes a small network separates fairly well: class `row % 3`, features near it.
private func feature(_ row: Int, _ column: Int) -> Double {
    Double(row % 3) + 0.9 * sin(Double(row * (column + 2)))
}

private let split = SplitRows(train: Array(0..<90), validation: Array(90..<120), test: Array(120..<150))

private func labeled(_ rows: [Int]) -> LabeledData {
    LabeledData(features: Matrix(rows: rows.count, columns: 4, values: rows.flatMap { r in (0..<4).map { feature(r, $0) } }),
                labels: rows.map { $0 % 3 })
}

/// A real model trained on the split's training rows.
private func model(epochs: Int, seed: UInt64) throws -> Model {
    var hp = Hyperparameters()
    hp.epochs = epochs
    hp.learningRate = 1
    hp.batchSize = 10
    return try train(hp, on: labeled(split.train), validation: labeled(split.validation),
                     classNames: ["a", "b", "c"], featureNames: ["f0", "f1", "f2", "f3"], seed: seed) { _ in }.model
}

/// A run of `parameters` whose stored `final` model is `model`, with its real accuracies.
private func run(_ parameters: [String: String], seed: Int, _ model: Model) -> RunSpec {
    RunSpec(parameters: parameters, seed: seed, validation: model.evaluate(labeled(split.validation)),
            test: model.evaluate(labeled(split.test)), weights: model.safetensors())
}

/// Predictions of `models` combined per row by their mean probability, as the report should.
private func ensemblePredictions(_ models: [Model], rows: [Int]) -> [Int] {
    let data = labeled(rows)
    var sums = Array(repeating: 0.0, count: rows.count * 3)
    for model in models {
        for (i, p) in model.probabilities(data.features).values.enumerated() { sums[i] += p }
    }
    return rows.indices.map { r in (0..<3).max { sums[r * 3 + $0] < sums[r * 3 + $1] || (sums[r * 3 + $0] == sums[r * 3 + $1] && $0 > $1) }! }
}

/// Sweep "real": three good models (60 epochs), three weak ones (1 epoch) and a single one (20).
private func realSweep() throws -> (fixture: Fixture, good: [Model], weak: [Model], single: Model) {
    let fixture = try Fixture()
    let good = baseline(["learning_rate": "1", "epochs": "60"]), weak = baseline()
    let goodModels = try (1...3).map { try model(epochs: 60, seed: UInt64($0)) }
    let weakModels = try (1...3).map { try model(epochs: 1, seed: UInt64($0)) }
    let single = try model(epochs: 20, seed: 9)
    try fixture.sweep("real", runs: goodModels.enumerated().map { run(good, seed: $0.offset + 1, $0.element) }
        + weakModels.enumerated().map { run(weak, seed: $0.offset + 1, $0.element) }
        + [run(baseline(["epochs": "20"]), seed: 9, single)],
        featureNames: ["f0", "f1", "f2", "f3"], classNames: ["a", "b", "c"], rows: split, featureValue: feature)
    return (fixture, goodModels, weakModels, single)
}

/// A ``ScoreCache`` (what `exp serve` keeps between leaderboards) changes no figure: the report
/// read twice through it equals the report read without it, and the second read scores nothing new.
@Test func aScoreCacheChangesNoFigureAndScoresEachModelOnce() throws {
    let fixture = try realSweep().fixture
    let plain = try LeaderboardQuery.sweepReport(fixture.store, name: "real", top: 10)
    let cache = ScoreCache()
    let first = try LeaderboardQuery.sweepReport(fixture.store, name: "real", top: 10, scores: cache)
    let kept = cache.count
    let second = try LeaderboardQuery.sweepReport(fixture.store, name: "real", top: 10, scores: cache)
    #expect(kept == 7 * 2, "every run's model on its validation and its test rows")
    #expect(cache.count == kept)
    for report in [first, second] {
        #expect(report.rows.map { $0.testEvidence?.correct } == plain.rows.map { $0.testEvidence?.correct })
        #expect(report.rows.map { $0.validationEvidence?.correct } == plain.rows.map { $0.validationEvidence?.correct })
        #expect(report.rows.map { $0.versusBaseline?.p } == plain.rows.map { $0.versusBaseline?.p })
    }
    cache.removeAll()
    #expect(cache.count == 0)
}

/// What the caches hold: values up to a byte limit, then empty again, and nothing twice.
@Test func aBoundedMapStartsEmptyAgainPastItsLimit() {
    let map = BoundedMap<String, Int>(byteLimit: 100)
    map.keep(1, for: "a", bytes: 40)
    map.keep(2, for: "a", bytes: 40)
    #expect(map["a"] == 2 && map.count == 1, "a key kept again is replaced, not counted twice")
    map.keep(3, for: "b", bytes: 30)
    #expect(map.count == 2)
    map.keep(4, for: "c", bytes: 40)
    #expect(map.count == 1 && map["c"] == 4 && map["a"] == nil, "40 + 30 + 40 bytes: emptied, then c kept")
    map.removeAll()
    #expect(map.count == 0 && map["c"] == nil)
}

/// Other weights are another answer, even for the same data set and rows (a run stored again).
@Test func aScoreCacheKeysOnTheWeights() throws {
    let cache = ScoreCache()
    var computed = 0
    func score(_ weightsSHA256: String) -> Matrix {
        cache.probabilities(.init(weightsSHA256: weightsSHA256, datasetID: 1, indices: [1, 2])) {
            computed += 1
            return Matrix(rows: 1, columns: 1, values: [Double(computed)])
        }
    }
    #expect(score(String(repeating: "a", count: 64)).values == [1])
    #expect(score(String(repeating: "a", count: 64)).values == [1])
    #expect(score(String(repeating: "b", count: 64)).values == [2])
    #expect(computed == 2)
}

/// The scorable runs carry the SHA-256 stored with their `final` weights (what a ``ScoreCache``
/// keys on); a run stored without weights has none and is left out of its configuration's rows.
@Test func scorableRunsCarryTheirWeightsHashAndARunWithoutWeightsIsLeftOut() throws {
    let fixture = try Fixture()
    let stored = try model(epochs: 20, seed: 1)
    var bare = run(baseline(), seed: 2, stored)
    bare.weights = nil
    let sweepID = try fixture.sweep("bare", runs: [run(baseline(), seed: 1, stored), bare],
                                    featureNames: ["f0", "f1", "f2", "f3"], classNames: ["a", "b", "c"], rows: split, featureValue: feature)
    let runs = try fixture.store.scorableRuns(sweepID: sweepID, configSHA256s: [])
    #expect(runs.map(\.finalWeightsSHA256) == [sha256Hex(stored.safetensors()), nil])
    let report = try LeaderboardQuery.sweepReport(fixture.store, name: "bare", top: 10, scores: ScoreCache())
    #expect(report.rows.first?.testEvidence?.models == 1)
}

/// The reference classifier reads each split once, in the order of its first finished run, as
/// it did from every scorable run (the order decides how its probabilities are summed).
@Test func theReferenceReadsEachSplitOnceInTheOrderOfItsFirstFinishedRun() throws {
    let fixture = try Fixture()
    let runs = [3, 1, 2, 1, 3].enumerated().map { i, fold in
        RunSpec(parameters: baseline(["epochs": "\(i % 2 + 1)"]), seed: i, validation: 0.9, fold: fold)
    } + [RunSpec(parameters: baseline(), seed: 9, status: .diverged, fold: 4)]
    let sweepID = try fixture.sweep("folds", runs: runs)
    var seen = Set<Int64>()
    let firstRuns = try fixture.store.scorableRuns(sweepID: sweepID, configSHA256s: []).filter { seen.insert($0.splitID).inserted }
    let splits = try fixture.store.scoredSplits(sweepID: sweepID)
    #expect(splits.map { [$0.splitID, $0.datasetID] } == firstRuns.map { [$0.splitID, $0.datasetID] })
    #expect(splits.count == 3, "fold 4's only run diverged")
    #expect(splits.map(\.splitID) != splits.map(\.splitID).sorted(), "first-run order, not split order")
}

@Test func storedModelsAreScoredAgainPerDistinctRowAndComparedWithTheBaselineOnTheSameRows() throws {
    let (fixture, goodModels, weakModels, single) = try realSweep()
    let report = try LeaderboardQuery.sweepReport(fixture.store, name: "real", benchmark: 0.961, top: 10)
    let byEpochs = Dictionary(uniqueKeysWithValues: report.rows.map { ($0.parameters["epochs"]!, $0) })

    // One model: the row-level count is exactly the accuracy its run recorded.
    let one = try #require(byEpochs["20"]?.testEvidence)
    #expect(one.models == 1 && one.rows == 30)
    #expect(one.correct == Int((single.evaluate(labeled(split.test)) * 30).rounded()))

    // Three seeds share the same 30 rows: 30 rows of evidence, combined by mean probability.
    let goodRow = try #require(byEpochs["60"]), weakRow = try #require(byEpochs["3000"])
    #expect(weakRow.isBaseline && !goodRow.isBaseline)
    let goodPredictions = ensemblePredictions(goodModels, rows: split.test)
    let weakPredictions = ensemblePredictions(weakModels, rows: split.test)
    let truth = split.test.map { $0 % 3 }
    let goodCorrect = zip(goodPredictions, truth).filter { $0 == $1 }.count
    let evidence = try #require(goodRow.testEvidence)
    #expect(evidence.models == 3 && evidence.rows == 30 && evidence.correct == goodCorrect)
    #expect(evidence.interval == AccuracyInference.clopperPearson(correct: goodCorrect, total: 30))
    #expect(goodRow.validationEvidence?.rows == 30)

    // Paired with the baseline on the same rows.
    let better = split.test.indices.filter { goodPredictions[$0] == truth[$0] && weakPredictions[$0] != truth[$0] }.count
    let worse = split.test.indices.filter { goodPredictions[$0] != truth[$0] && weakPredictions[$0] == truth[$0] }.count
    let paired = try #require(goodRow.versusBaseline)
    #expect(paired.better == better && paired.worse == worse && paired.sharedRows == 30)
    #expect(paired.p == AccuracyInference.mcNemarExact(onlyFirst: better, onlySecond: worse))
    #expect(weakRow.versusBaseline == nil)

    let text = ReportText().verdict(report).joined(separator: "\n")
    #expect(text.contains("On the 30 distinct test rows"))
    #expect(text.contains((evidence.accuracy >= 0.961 ? "or better" : "or worse") + " with probability p = "))
    #expect(text.contains("McNemar exact p = "))
    #expect(!text.contains("beat") && !text.contains("nan%") && !text.contains(" nan"))
}

@Test func aSweepWithoutTestRowsSaysSoWithoutNaN() throws {
    let fixture = try Fixture()
    let models = try (1...2).map { try model(epochs: 5, seed: UInt64($0)) }
    let noTest = SplitRows(train: Array(0..<90), validation: Array(90..<150), test: [])
    try fixture.sweep("no-test", runs: models.enumerated().map { index, model in
        RunSpec(parameters: baseline(), seed: index + 1, validation: model.evaluate(labeled(Array(90..<150))), test: nil,
                weights: model.safetensors())
    }, featureNames: ["f0", "f1", "f2", "f3"], classNames: ["a", "b", "c"],
       protocolJSON: #"{"split_seed":0,"test_fraction":0,"validation_fraction":0.4}"#, rows: noTest, featureValue: feature)
    _ = try ReportWriter.write(store: fixture.store, options: ReportOptions(outputDirectory: fixture.output, benchmarkAccuracy: 0.961))
    let markdown = try String(contentsOf: fixture.output.appendingPathComponent("leaderboard.md"), encoding: .utf8)
    #expect(markdown.contains("This sweep has no test rows, so nothing is compared with its 96.1% benchmark."))
    #expect(!markdown.lowercased().contains("nan"))
    #expect(!markdown.contains("0 of 2"))
}

@Test func meansWithinOneValidationRowAreShownAsTies() throws {
    let fixture = try Fixture()
    // 30 validation rows: one row is 3.33 points. 0.95 and 0.94 tie; 0.90 does not tie 0.94.
    try fixture.sweep("ties", runs: [("0.5", 0.95), ("0.2", 0.94), ("0.05", 0.90)].map { rate, accuracy in
        RunSpec(parameters: baseline(["learning_rate": rate]), seed: 1, validation: accuracy, test: 0.9)
    })
    let report = try LeaderboardQuery.sweepReport(fixture.store, name: "ties", benchmark: 0.961, top: 10)
    #expect(report.rows.map(\.tiesAbove) == [false, true, false])
    let ranks = ReportText().columns(report)[0]
    #expect(report.rows.map { ranks.cell($0).text } == ["1", "2 (tie)", "3"])
    #expect(ReportText().verdict(report).contains { $0.contains("1 more configuration has a mean validation accuracy within one validation row") })
}

@Test func tiesDoNotChainBeyondOneRowOfTheGroupsBest() throws {
    let fixture = try Fixture()
    // 0.93 is within one row (3.33 points) of 0.95; 0.91 is within one row of 0.93 but not of 0.95.
    try fixture.sweep("chain", runs: [("0.5", 0.95), ("0.2", 0.93), ("0.05", 0.91), ("0.01", 0.89)].map { rate, accuracy in
        RunSpec(parameters: baseline(["learning_rate": rate]), seed: 1, validation: accuracy, test: 0.9)
    })
    let report = try LeaderboardQuery.sweepReport(fixture.store, name: "chain", benchmark: 0.961, top: 10)
    #expect(report.rows.map(\.tiesAbove) == [false, true, false, true])
}

@Test func theBestConfigurationsEnsembleIsARowOfTheLeaderboardRightBelowIt() throws {
    let fixture = try Fixture()
    let good = baseline(["learning_rate": "1", "epochs": "60"])
    let goodModels = try (1...3).map { try model(epochs: 60, seed: UInt64($0)) }
    let weakModels = try (1...2).map { try model(epochs: 1, seed: UInt64($0)) }
    try fixture.sweep("ensemble", runs: goodModels.enumerated().map { run(good, seed: $0.offset + 1, $0.element) }
        + weakModels.enumerated().map { run(baseline(), seed: $0.offset + 1, $0.element) },
        featureNames: ["f0", "f1", "f2", "f3"], classNames: ["a", "b", "c"], rows: split, featureValue: feature)
    let report = try LeaderboardQuery.sweepReport(fixture.store, name: "ensemble", benchmark: 0.961, top: 10)
    let best = try #require(report.rows.first)
    #expect(best.parameters["epochs"] == "60")

    // The three models' mean class probabilities per row, on each set of rows.
    func rightOf(_ rows: [Int]) -> Int {
        zip(ensemblePredictions(goodModels, rows: rows), rows.map { $0 % 3 }).filter { $0 == $1 }.count
    }
    let ensemble = try #require(report.ensemble)
    #expect(ensemble.ensembleOf == 1 && ensemble.runs == 3 && ensemble.configSHA256 == best.configSHA256)
    #expect(ensemble.validationAccuracyMean == Double(rightOf(split.validation)) / 30)
    #expect(ensemble.testAccuracyMean == Double(rightOf(split.test)) / 30)
    #expect(ensemble.validationAccuracyStd == nil && ensemble.bestEpochMean == nil && !ensemble.isBaseline)
    #expect(ensemble.versusBaseline == best.versusBaseline && ensemble.versusBaseline != nil)
    #expect(report.tableRows(top: 10).map(\.ensembleOf) == [nil, 1, nil])
    #expect(report.tableRows(top: 1).map(\.ensembleOf) == [nil, 1, nil])  // the baseline still follows

    let text = ReportText()
    let cells = text.columns(report).map { $0.cell(ensemble).text }
    #expect(cells.prefix(2) == ["ensemble of 1", "3 models"])
    #expect(cells[2] == Format.percent(Double(rightOf(split.validation)) / 30) && cells[3] == "–")
    #expect(cells[4] == "\(rightOf(split.validation))/30")
    #expect(cells[5] == Format.percent(Double(rightOf(split.test)) / 30))
    #expect(text.footnotes(report).last?.hasPrefix("Ensemble of 1: the 3 finished models of configuration 1") == true)
    // Ranked by macro F1, its F1 is not known (its runs' mean and spread are not the ensemble's).
    #expect(ensemble.validationMetrics == [.accuracy: MetricSummary(mean: ensemble.validationAccuracyMean, std: nil)])
    #expect(ensemble.testMetricMeans == [.accuracy: Double(rightOf(split.test)) / 30])
    let f1 = ReportText(metric: .macroF1)
    let f1Cells = f1.columns(report).map { $0.cell(ensemble).text }
    #expect(f1Cells[2] == "–" && f1Cells[3] == "–", "\(f1Cells)")

    _ = try ReportWriter.write(store: fixture.store, options: ReportOptions(outputDirectory: fixture.output, top: 1))
    let markdown = try String(contentsOf: fixture.output.appendingPathComponent("leaderboard.md"), encoding: .utf8)
    #expect(markdown.contains("| ensemble of 1 | 3 models | \(cells[2]) | – | \(cells[4]) | \(cells[5]) |"))
    #expect(markdown.contains("Top 1 of 2 configurations, then the baseline:"))
    let html = try String(contentsOf: fixture.output.appendingPathComponent("leaderboard.html"), encoding: .utf8)
    #expect(occurrences(of: #"<tr class="ensemble">"#, in: html) == 1)
    #expect(html.contains("Top 1 of 2 configurations, then the baseline. Click a header to sort."))
}

@Test func aConfigurationOfOneModelHasNoEnsembleRow() throws {
    let fixture = try Fixture()
    let single = try model(epochs: 20, seed: 9)
    try fixture.sweep("single", runs: [run(baseline(["epochs": "20"]), seed: 9, single)],
                      featureNames: ["f0", "f1", "f2", "f3"], classNames: ["a", "b", "c"], rows: split, featureValue: feature)
    let report = try LeaderboardQuery.sweepReport(fixture.store, name: "single", benchmark: 0.961, top: 10)
    #expect(report.rows.first?.testEvidence?.models == 1)
    #expect(report.ensemble == nil && report.tableRows(top: 10).count == 1)
}
