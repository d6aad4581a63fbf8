import Determinism
import Foundation
import Testing
import TestSupport
@testable import Tracker

/// `selections`, refit runs and the queries that must keep them apart from the search.
@Suite struct SelectionTests {
    @Test func refitScoresPoolEachFoldsRefitRunsOnItsOuterTestRows() throws {
        let scratch = try Scratch()
        defer { scratch.cleanup() }
        let store = try ExampleDatabase.build(at: scratch.path("runs.db"))
        let sweepID = try #require(try store.sweep(named: "iris-nested")?.id)
        let selections = try store.selections(sweepID: sweepID)
        #expect(selections.map(\.outerFold) == [1, 2])
        let wide = Config(learningRate: 0.1, hidden: [8])
        #expect(selections.allSatisfy { $0.configSHA256 == sha256Hex(wide.json) && $0.candidates == 2 })
        let scores = try store.refitScores(sweepID: sweepID)
        #expect(scores.map(\.correct) == [72, 72])
        #expect(scores.map(\.scored) == [75, 75])
        #expect(Set(scores.flatMap(\.testRows)).count == 150)
        #expect(try store.unfinishedSearchRuns(sweepID: sweepID, scope: (0, 1)) == 0)
        #expect(try store.bestEpochs(sweepID: sweepID, configSHA256: sha256Hex(wide.json), scope: (0, 2)) == [10, 10])
    }

    /// A refit run whose configuration hashes like a search configuration (same epochs, no
    /// early stopping) stays out of the search's report queries and leaderboards.
    @Test func refitRunsStayOutOfTheSearchsQueries() throws {
        let scratch = try Scratch()
        defer { scratch.cleanup() }
        let store = try ExampleDatabase.build(at: scratch.path("runs.db"))
        let sweepID = try #require(try store.sweep(named: "iris-nested")?.id)
        let wide = sha256Hex(Config(learningRate: 0.1, hidden: [8]).json)
        #expect(try store.connection.scalar("SELECT COUNT(*) FROM runs WHERE config_sha256 = ? AND sweep_id = ?",
                                            [.text(wide), .integer(sweepID)])?.int == 6)
        #expect(try store.scorableRuns(sweepID: sweepID, configSHA256s: [wide]).count == 4)
        #expect(try store.testConfusions(sweepID: sweepID, configSHA256: wide).isEmpty)
        #expect(try store.leaderboard(sweepID: sweepID).first { $0.configSHA256 == wide }?.runs == 4)
        #expect(try store.leaderboard(sweepID: sweepID, repeat: 0, outerFold: 1).map(\.runs) == [2, 2])
        #expect(try store.sweepOverview(named: "iris-nested")?.testRowCounts == [0])
    }
}
