import Foundation
import Testing
@testable import ReportFixtures
import Tracker
@testable import Report

/// The report's rows carry the store's ranking: its order, and which rows tie the one above.
@Test func rowsCarryTheStoresOrderAndTies() throws {
    let fixture = try Fixture()
    let a = baseline(["batch_size": "8"]), b = baseline(["batch_size": "16"]), c = baseline(["batch_size": "4"])
    let sweepID = try fixture.sweep("tied", runs: [
        RunSpec(parameters: a, seed: 1, validation: 0.75, test: 0.5),
        RunSpec(parameters: a, seed: 2, validation: 0.75, test: 0.5),
        RunSpec(parameters: b, seed: 1, validation: 0.75, test: 1),
        RunSpec(parameters: b, seed: 2, validation: 0.75, test: 1),
        RunSpec(parameters: c, seed: 1, validation: 0.5, test: 1),
        RunSpec(parameters: c, seed: 2, validation: 0.5, test: 1),
    ])
    let rows = try ReportWriter.leaderboard(store: fixture.store, sweep: "tied")
    #expect(rows.map(\.tiesAbove) == [false, true, false])
    #expect(rows.map(\.rank) == [1, 2, 3])
    #expect(rows.map(\.configSHA256) == (try fixture.store.leaderboard(sweepID: sweepID)).map(\.configSHA256))
    // Equal on every key but the hash: the hash orders them, whatever their test accuracy.
    #expect(rows[0].configSHA256 < rows[1].configSHA256)
}
