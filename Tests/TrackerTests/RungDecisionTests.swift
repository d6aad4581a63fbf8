import Determinism
import Foundation
import Testing
import TestSupport
@testable import Tracker

/// A rung of a halving search is decided once, on results at exactly its budget, by the
/// leaderboard's ranking rule.
@Suite struct RungDecisionTests {
    static let configs = [Config(learningRate: 0.1, hidden: 8), Config(learningRate: 0.01, hidden: 8),
                          Config(learningRate: 0.5, hidden: 8), Config(learningRate: 1, hidden: 8)]
    static var hashes: [String] { configs.map { sha256Hex($0.json) } }

    /// Four configurations x two seeds, each trained `epochs` epochs with the accuracy given.
    func store(at path: String, epochs: Int = 3, accuracy: (Int) -> Double) throws -> (RunStore, Int64) {
        let store = try RunStore(path: path)
        let fixture = try prepare(store)
        try store.enqueue(sweepID: fixture.sweepID, datasetID: fixture.datasetID,
                          cells: cells(Self.configs, seeds: [1, 2], splitID: fixture.splitID))
        for _ in 0..<8 {
            let claim = try #require(try store.claimNext(sweepID: fixture.sweepID, host: "h", pid: 1))
            try store.record(claim, finishedResult(validationAccuracy: accuracy(claim.cellIndex), epochs: epochs))
        }
        return (store, fixture.sweepID)
    }

    func decide(_ store: RunStore, _ sweepID: Int64, budget: Int = 3) throws -> RungOutcome {
        try store.decideRung(sweepID: sweepID, bracket: 0, rung: 0, budgetEpochs: budget, configurations: Self.hashes,
                             runsPerConfiguration: 2, promote: 2)
    }

    @Test func promotesTheBestByTheRankingRuleAndPrunesTheRest() throws {
        let scratch = try Scratch()
        defer { scratch.cleanup() }
        // Configuration c's runs score 0.5 + 0.1 c, except configuration 3's second seed.
        let (store, sweepID) = try store(at: scratch.path("runs.db")) { cell in cell == 7 ? 0.6 : 0.5 + 0.1 * Double(cell / 2) }
        let outcome = try decide(store, sweepID)
        // Configuration 3 (mean 0.7, spread 0.14) and 2 (0.7, none): equal means, lower spread first.
        #expect(outcome == .decided(promoted: [Self.hashes[2], Self.hashes[3]]))
        let decisions = try store.rungDecisions(sweepID: sweepID)
        #expect(decisions.count == 8)
        #expect(decisions.filter(\.promoted).map(\.runID) == [5, 6, 7, 8])
        #expect(decisions.map(\.rank) == [4, 4, 3, 3, 1, 1, 2, 2])
        #expect(decisions.allSatisfy { $0.candidates == 4 && $0.budgetEpochs == 3 })
        #expect(abs((decisions[0].value ?? 0) - 0.5) < 1e-12)
        let counts = try store.statusCounts(sweepID: sweepID)
        #expect(counts == [.pruned: 4, .queued: 4])
        #expect(try store.promotions(runID: 5) == 1 && store.promotions(runID: 1) == 0)
        // Asked again, it is decided already and writes nothing.
        #expect(try decide(store, sweepID) == .alreadyDecided(promoted: [Self.hashes[2], Self.hashes[3]]))
        #expect(try store.rungDecisions(sweepID: sweepID).count == 8)
    }

    @Test func waitsForEveryRunAtExactlyTheBudget() throws {
        let scratch = try Scratch()
        defer { scratch.cleanup() }
        let (store, sweepID) = try store(at: scratch.path("runs.db"), epochs: 4) { _ in 0.8 }
        // Four epochs is not three: results one epoch later do not decide the rung.
        #expect(try decide(store, sweepID) == .waiting(runs: 8))
        #expect(try store.rungDecisions(sweepID: sweepID).isEmpty)
        // More runs expected per configuration than stored: their cells are not queued yet.
        let waiting = try store.decideRung(sweepID: sweepID, bracket: 0, rung: 0, budgetEpochs: 4, configurations: Self.hashes,
                                           runsPerConfiguration: 3, promote: 2)
        #expect(waiting == .waiting(runs: 4))
        #expect(try store.statusCounts(sweepID: sweepID) == [.finished: 8])
    }

    @Test func aConfigurationWithADivergedRunIsNeverPromoted() throws {
        let scratch = try Scratch()
        defer { scratch.cleanup() }
        let store = try RunStore(path: scratch.path("runs.db"))
        let fixture = try prepare(store)
        try store.enqueue(sweepID: fixture.sweepID, datasetID: fixture.datasetID,
                          cells: cells(Array(Self.configs.prefix(2)), seeds: [1], splitID: fixture.splitID))
        try claimAndRecord(store, sweepID: fixture.sweepID, divergedResult(epoch: 2))
        try claimAndRecord(store, sweepID: fixture.sweepID, finishedResult(validationAccuracy: 0.4, epochs: 3))
        let outcome = try store.decideRung(sweepID: fixture.sweepID, bracket: 0, rung: 0, budgetEpochs: 3,
                                           configurations: Array(Self.hashes.prefix(2)), runsPerConfiguration: 1, promote: 1)
        #expect(outcome == .decided(promoted: [Self.hashes[1]]))
        let decisions = try store.rungDecisions(sweepID: fixture.sweepID)
        #expect(decisions.first { $0.runID == 1 }?.value == nil)
        #expect(try store.runStatus(id: 1) == .diverged)
    }

    @Test func twoStoresDecideOnce() throws {
        let scratch = try Scratch()
        defer { scratch.cleanup() }
        let path = scratch.path("runs.db")
        _ = try store(at: path) { cell in 0.5 + 0.05 * Double(cell) }
        let outcomes = onThreads(4) { _ -> RungOutcome in
            try decide(try RunStore(path: path), 1)
        }
        let values = try outcomes.map { try $0.get() }
        #expect(values.filter { if case .decided = $0 { return true } else { return false } }.count == 1)
        #expect(values.filter { $0 == .alreadyDecided(promoted: [Self.hashes[3], Self.hashes[2]]) }.count == 3)
        #expect(try RunStore(path: path).rungDecisions(sweepID: 1).count == 8)
    }

    @Test func aContinuedRunKeepsItsEarlierEpochsAndAddsItsDuration() throws {
        let scratch = try Scratch()
        defer { scratch.cleanup() }
        let (store, sweepID) = try store(at: scratch.path("runs.db")) { cell in 0.5 + 0.05 * Double(cell) }
        _ = try decide(store, sweepID)
        let claim = try #require(try store.claimNext(sweepID: sweepID, host: "h", pid: 1))
        #expect(claim.runID == 5)
        var more = finishedResult(validationAccuracy: 0.95, epochs: 9, seconds: 6)
        more.epochs = Array(more.epochs.suffix(6))
        more.continuedFromEpoch = 3
        more.checkpoint = Data("nine".utf8)
        try store.record(claim, more)
        let epochs = try store.connection.query("SELECT epoch FROM epoch_metrics WHERE run_id = 5 ORDER BY epoch") { s in
            try s.required(s.int, "epoch")
        }
        #expect(epochs == Array(1...9))
        #expect(try store.connection.scalar("SELECT epochs_run FROM runs WHERE run_id = 5")?.int == 9)
        #expect(try store.connection.scalar("SELECT duration_seconds FROM runs WHERE run_id = 5")?.double == 8)
        #expect(try store.checkpoint(runID: 5)?.epoch == 9)
    }
}
