import Foundation
import Testing
@testable import ReportFixtures
import Tracker
@testable import Report

private let kFold = #"{"folds":5,"split_seed":0,"test_fraction":0.2}"#

/// Two seeds per fold of the best configuration and of the baseline, with these validation accuracies.
private func foldRuns(_ parameters: [String: String], _ perFold: [(Double, Double)]) -> [RunSpec] {
    perFold.enumerated().flatMap { fold, pair in
        [RunSpec(parameters: parameters, seed: 1, validation: pair.0, test: 0.9, fold: fold + 1),
         RunSpec(parameters: parameters, seed: 2, validation: pair.1, test: 0.9, fold: fold + 1)]
    }
}

private let best: [(Double, Double)] = [(0.9, 0.94), (0.96, 0.94), (1.0, 0.98), (0.9, 0.92), (0.96, 0.94)]
private let weak: [(Double, Double)] = [(0.8, 0.82), (0.9, 0.9), (0.86, 0.84), (0.9, 0.88), (0.8, 0.8)]

@Test func kFoldBestAgainstBaselineGetsTheCorrectedResampledTTestOverFolds() throws {
    let fixture = try Fixture()
    try fixture.sweep("folds", runs: foldRuns(baseline(["learning_rate": "1"]), best) + foldRuns(baseline(), weak),
                      protocolJSON: kFold)
    let report = try LeaderboardQuery.sweepReport(fixture.store, name: "folds", benchmark: 0.961, top: 10)
    let comparison = try #require(report.foldComparison)
    // Seeds averaged per fold; the fixture's folds hold out 30 rows and train on 90.
    let differences = zip(best, weak).map { ($0.0 + $0.1) / 2 - ($1.0 + $1.1) / 2 }
    let expected = try #require(AccuracyInference.correctedResampledTTest(differences: differences, testRows: 30, trainingRows: 90))
    #expect(comparison.folds == 5)
    #expect(abs(comparison.meanDifference - 0.094) < 1e-9)
    #expect(abs(comparison.t - expected.t) < 1e-9 && abs(comparison.p - expected.p) < 1e-12)
    // The correction widens the test: the naive t-test over the same folds would be far more confident.
    let naive = try #require(AccuracyInference.correctedResampledTTest(differences: differences, testRows: 0, trainingRows: 90))
    #expect(comparison.p > naive.p)
    let verdict = ReportText().verdict(report).joined(separator: "\n")
    #expect(verdict.contains("Over the 5 folds") && verdict.contains("Nadeau and Bengio 2003") && verdict.contains("4 degrees of freedom"))
    #expect(verdict.contains("+9.4 pp on average"))
    #expect(!report.earlyStoppingOnScoredRows)
}

@Test func aHoldoutSweepHasNoFoldComparison() throws {
    let fixture = try Fixture()
    try fixture.sweep("holdout", runs: [RunSpec(parameters: baseline(["learning_rate": "1"]), seed: 1, validation: 0.9, test: 0.9),
                                        RunSpec(parameters: baseline(), seed: 1, validation: 0.8, test: 0.8)])
    let report = try LeaderboardQuery.sweepReport(fixture.store, name: "holdout", benchmark: 0.961, top: 10)
    #expect(report.foldComparison == nil)
    #expect(!ReportText().verdict(report).joined().contains("Nadeau"))
}

@Test func earlyStoppingOnTheScoredFoldIsFlaggedUnlessItHasRowsOfItsOwn() throws {
    let patient = baseline(["learning_rate": "1", "early_stopping_patience": "10"])
    let flagged = try Fixture()
    try flagged.sweep("leaky", runs: foldRuns(patient, best) + foldRuns(baseline(), weak), protocolJSON: kFold)
    let leaky = try LeaderboardQuery.sweepReport(flagged.store, name: "leaky", benchmark: 0.961, top: 10)
    #expect(leaky.earlyStoppingOnScoredRows)
    #expect(ReportText().verdict(leaky).contains { $0.hasPrefix("Early stopping watched the scored rows") })

    let own = try Fixture()
    try own.sweep("own", runs: foldRuns(patient, best), protocolJSON: #"{"early_stopping_fraction":0.1,"folds":5,"split_seed":0,"test_fraction":0.2}"#)
    #expect(!(try LeaderboardQuery.sweepReport(own.store, name: "own", benchmark: 0.961, top: 10)).earlyStoppingOnScoredRows)

    let patienceZero = try Fixture()
    try patienceZero.sweep("none", runs: foldRuns(baseline(["early_stopping_patience": "0"]), best), protocolJSON: kFold)
    #expect(!(try LeaderboardQuery.sweepReport(patienceZero.store, name: "none", benchmark: 0.961, top: 10)).earlyStoppingOnScoredRows)
}
