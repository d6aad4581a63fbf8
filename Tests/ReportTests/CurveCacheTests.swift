import Foundation
import Testing
@testable import ReportFixtures
import Tracker
@testable import Report

/// A ``CurveCache`` (what `exp serve` keeps between leaderboards) changes no curve: while runs
/// finish one by one, the curves read through it equal the curves read without it, and only a
/// configuration whose finished runs changed (or every one, when the epoch step changes) is
/// read again.
@Test func aCurveCacheChangesNoCurveAsRunsFinishAndRereadsOnlyWhatChanged() throws {
    let fixture = try Fixture()
    let first = baseline(["learning_rate": "0.5"]), second = baseline()
    let specs = [first, second].flatMap { parameters in
        (1...3).map { RunSpec(parameters: parameters, seed: $0, status: $0 == 1 ? .finished : .interrupted, validation: 0.8) }
    }
    let sweepID = try fixture.sweep("growing", runs: specs)
    // The interrupted runs go back in the queue, as `exp sweep --resume` puts them.
    let requeued = try fixture.store.requeueUnfinished(sweepID: sweepID, observer: ClaimOwner(host: "test", pid: 2)) { _ in true }
    #expect(requeued.requeued.count == 4)

    let cache = CurveCache()
    func compare() throws -> [ConfigCurves] {
        let cached = try LeaderboardQuery.sweepReport(fixture.store, name: "growing", top: 10, curves: cache).curves
        let plain = try LeaderboardQuery.sweepReport(fixture.store, name: "growing", top: 10).curves
        #expect(cached == plain)
        return cached
    }
    #expect(try compare().map(\.points.last?.runs) == [1, 1])
    #expect(cache.count == 2)
    for (n, epochs) in [20, 20, 20, 900].enumerated() {
        let claim = try #require(try fixture.store.claimNext(sweepID: sweepID, host: "test", pid: 2))
        let start = Date(timeIntervalSince1970: 1_800_000_000)
        var result = RunResult(status: .finished, startedAt: start, endedAt: start.addingTimeInterval(2))
        result.epochs = (1...epochs).map { epoch in
            EpochRow(epoch: epoch, trainLoss: 1 / Double(epoch), trainAccuracy: 0.9, validationLoss: 1.2 / Double(epoch),
                     validationAccuracy: 0.7 + Double(n) / 100, learningRate: 0.1, elapsedSeconds: Double(epoch) / 10)
        }
        result.finalValidationAccuracy = 0.7 + Double(n) / 100
        result.bestEpoch = epochs
        try fixture.store.record(claim, result)
        let before = cache.count
        let curves = try compare()
        #expect(curves.reduce(0) { $0 + ($1.points.first?.runs ?? 0) } == 3 + n)
        // One configuration gained a run; the 900-epoch run changes the step of both.
        #expect(cache.count - before == (epochs == 900 ? 2 : 1), "after run \(n + 1)")
    }
    cache.removeAll()
    #expect(cache.count == 0)
}

/// A run trained again under the same id, to the same number of epochs (a rung's promotion,
/// then a new claim), has other epoch rows: its configuration's curves are read again.
@Test func aCurveCacheReadsARunTrainedAgainAgain() throws {
    let fixture = try Fixture()
    let better = baseline(["learning_rate": "0.5"])
    let specs = [(better, 0.9), (baseline(), 0.8)].flatMap { pair -> [RunSpec] in
        (1...2).map { RunSpec(parameters: pair.0, seed: $0, validation: pair.1) }
    }
    let sweepID = try fixture.sweep("again", runs: specs)
    let cache = CurveCache()
    func curves() throws -> [ConfigCurves] {
        let cached = try LeaderboardQuery.sweepReport(fixture.store, name: "again", top: 10, curves: cache).curves
        #expect(cached == (try LeaderboardQuery.sweepReport(fixture.store, name: "again", top: 10).curves))
        return cached
    }
    let before = try curves()
    let configurations = before.map(\.configSHA256)
    let outcome = try fixture.store.decideRung(sweepID: sweepID, bracket: 0, rung: 0, budgetEpochs: 20, configurations: configurations,
                                               runsPerConfiguration: 2, promote: 1)
    guard case .decided(let promoted) = outcome else {
        Issue.record("the rung was not decided: \(outcome)")
        return
    }
    #expect(promoted.count == 1)
    while let claim = try fixture.store.claimNext(sweepID: sweepID, host: "test", pid: 1) {
        #expect(claim.attempt == 2)
        let start = Date(timeIntervalSince1970: 1_800_000_000)
        var result = RunResult(status: .finished, startedAt: start, endedAt: start.addingTimeInterval(2))
        result.epochs = (1...20).map { epoch in
            EpochRow(epoch: epoch, trainLoss: 0.5, trainAccuracy: 0.95, validationLoss: 0.6, validationAccuracy: 0.99,
                     learningRate: 0.1, elapsedSeconds: Double(epoch) / 10)
        }
        result.finalValidationAccuracy = 0.99
        result.bestEpoch = 20
        try fixture.store.record(claim, result)
    }
    let after = try curves()
    let trainedAgain = try #require(after.first { $0.configSHA256 == promoted[0] })
    #expect(trainedAgain.points.count == 20 && trainedAgain.points.allSatisfy { $0.validationAccuracy?.mean == 0.99 })
    #expect(trainedAgain.points != before.first { $0.configSHA256 == promoted[0] }?.points)
}
