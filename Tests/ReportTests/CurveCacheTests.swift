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
