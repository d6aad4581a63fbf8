import Determinism
import Foundation
import Testing
import TestSupport
@testable import Tracker

/// A finished result with this final validation accuracy and loss.
private func result(_ accuracy: Double, loss: Double) -> RunResult {
    var result = finishedResult(validationAccuracy: accuracy)
    result.finalValidationLoss = loss
    return result
}

@Suite struct RankingTests {
    /// Six configurations of two seeds each, recorded in cell order; returns the store, the
    /// sweep and each configuration's hash by letter.
    private func rankedSweep(_ scratch: Scratch) throws -> (RunStore, Int64, [String: String]) {
        let store = try RunStore(path: scratch.path("runs.db"))
        let fixture = try prepare(store)
        let letters = ["A", "B", "C", "D", "E", "F"]
        let configs = letters.indices.map { Config(learningRate: 0.1 * Double($0 + 1), hidden: 4) }
        try store.enqueue(sweepID: fixture.sweepID, datasetID: fixture.datasetID,
                          cells: cells(configs, seeds: [1, 2], splitID: fixture.splitID))
        let results: [RunResult] = [
            result(0.75, loss: 0.5), result(0.75, loss: 0.5),      // A: ties B on accuracy and std, higher loss
            result(0.75, loss: 0.3), result(0.75, loss: 0.3),      // B: the best
            result(0.875, loss: 0.1), result(0.625, loss: 0.1),    // C: same mean, larger std
            result(0.5, loss: 0.4), result(0.5, loss: 0.4),        // D and E: equal on every key but the hash
            result(0.5, loss: 0.4), result(0.5, loss: 0.4),
            result(1.0, loss: 0.01), divergedResult(),             // F: a diverged run ranks it last
        ]
        for outcome in results { try claimAndRecord(store, sweepID: fixture.sweepID, outcome) }
        var hashes: [String: String] = [:]
        for (letter, config) in zip(letters, configs) { hashes[letter] = sha256Hex(config.json) }
        return (store, fixture.sweepID, hashes)
    }

    @Test func configurationsRankByAccuracyThenStdThenLossThenHash() throws {
        let scratch = try Scratch()
        defer { scratch.cleanup() }
        let (store, sweepID, hash) = try rankedSweep(scratch)
        let entries = try store.leaderboard(sweepID: sweepID)
        let (first, second) = hash["D"]! < hash["E"]! ? ("D", "E") : ("E", "D")
        let letters = Dictionary(uniqueKeysWithValues: hash.map { ($1, $0) })
        #expect(entries.map { letters[$0.configSHA256]! } == ["B", "A", "C", first, second, "F"])
        // Two validation rows per split: means less than 0.5 apart tie; F's diverged run does not.
        #expect(entries.map(\.tiesAbove) == [false, true, true, true, true, false])
        #expect(entries[0].validationLossMean == 0.3)
        #expect(entries[1].validationLossMean == 0.5)
        #expect(entries[2].validationAccuracyMean == 0.75)
        #expect(try store.bestConfiguration(sweepID: sweepID)?.configSHA256 == hash["B"])
    }

    /// Ranked by log loss: lower means first, equal means by the lower standard deviation (two
    /// passes: equal values give exactly 0), configurations without it last; ties only on equal means.
    @Test func anotherMetricRanksByItsMeanThenItsStdWithoutItLast() throws {
        let scratch = try Scratch()
        defer { scratch.cleanup() }
        let store = try RunStore(path: scratch.path("runs.db"))
        let fixture = try prepare(store)
        let configs = (0..<4).map { Config(learningRate: 0.1 * Double($0 + 1), hidden: 4) }
        try store.enqueue(sweepID: fixture.sweepID, datasetID: fixture.datasetID, cells: cells(configs, seeds: [1, 2], splitID: fixture.splitID))
        func scored(_ logLoss: Double?, accuracy: Double = 0.5) -> RunResult {
            var outcome = result(accuracy, loss: 0.2)
            if let logLoss { outcome.validationMetrics = [.logLoss: logLoss, .balancedAccuracy: 0.5, .macroF1: 0.5] }
            return outcome
        }
        for outcome in [scored(0.25), scored(0.75),                     // 0: mean 0.5, std 0.35
                        scored(0.5), scored(0.5),                       // 1: mean 0.5, std 0: above 0
                        scored(nil, accuracy: 1), scored(nil, accuracy: 1),  // 2: stored without it
                        scored(0.125), scored(1)] {                     // 3: mean 0.5625
            try claimAndRecord(store, sweepID: fixture.sweepID, outcome)
        }
        let hashes = configs.map { sha256Hex($0.json) }
        let entries = try store.leaderboard(sweepID: fixture.sweepID, metric: .logLoss)
        #expect(entries.map(\.configSHA256) == [hashes[1], hashes[0], hashes[3], hashes[2]])
        #expect(entries[0].validationMetrics[.logLoss] == MetricSummary(mean: 0.5, std: 0))
        #expect(abs(entries[1].validationMetrics[.logLoss]!.std! - 0.25 * 2.0.squareRoot()) < 1e-12)
        #expect(entries[3].validationMean(.logLoss) == nil)
        #expect(entries.map(\.tiesAbove) == [false, true, false, false])
        #expect(try store.bestConfiguration(sweepID: fixture.sweepID, metric: .logLoss)?.configSHA256 == hashes[1])
        // By accuracy, the configuration without the new metrics is first, as before.
        #expect(try store.bestConfiguration(sweepID: fixture.sweepID)?.configSHA256 == hashes[2])
    }

    @Test func theViewIsOrderedByTheSameRule() throws {
        let scratch = try Scratch()
        defer { scratch.cleanup() }
        let (store, sweepID, _) = try rankedSweep(scratch)
        let view = try store.connection.query("SELECT config_sha256, validation_loss_mean FROM leaderboard WHERE sweep_id = ?",
                                              [.integer(sweepID)]) { s in try s.required(s.string, "config_sha256") }
        #expect(view == (try store.leaderboard(sweepID: sweepID)).map(\.configSHA256))
    }

    @Test func theBestConfigurationIsNilUntilARunFinishes() throws {
        let scratch = try Scratch()
        defer { scratch.cleanup() }
        let store = try RunStore(path: scratch.path("runs.db"))
        let fixture = try prepare(store)
        try store.enqueue(sweepID: fixture.sweepID, datasetID: fixture.datasetID,
                          cells: cells([Config(learningRate: 0.1, hidden: 4)], seeds: [1], splitID: fixture.splitID))
        #expect(try store.bestConfiguration(sweepID: fixture.sweepID) == nil)
        #expect(try store.leaderboard(sweepID: fixture.sweepID).count == 1)
        try claimAndRecord(store, sweepID: fixture.sweepID, finishedResult(validationAccuracy: 0.5))
        #expect(try store.bestConfiguration(sweepID: fixture.sweepID)?.finishedRuns == 1)
    }
}
