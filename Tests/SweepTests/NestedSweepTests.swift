import Foundation
import Testing
import TestSupport
@testable import Sweep
@testable import Tracker

/// Nested cross-validation and refit, run in-process: each outer fold chooses on its inner
/// folds only, exactly once, and its choice is retrained and scored on the outer test rows.
@Suite struct NestedSweepTests {
    static let nestedProtocol = #"{"outer_folds": 3, "inner_folds": 2, "split_seed": 1}"#
    static let twoConfigurations = #"{"epochs": [8], "hidden_layers": [[3], [6]], "learning_rate": [0.5]}"#

    func nestedGrid(name: String = "nested") throws -> GridFile {
        try grid(gridText(name: name, seeds: [1, 2], grid: Self.twoConfigurations, protocolJSON: Self.nestedProtocol))
    }

    /// The runs of a database by identity, with what they scored.
    func outcomes(_ store: RunStore) throws -> [String] {
        try store.connection.query("""
            SELECT phase || '/' || repeat || '/' || outer_fold || '/' || fold || '/' || seed || '/' || config_sha256 || ' '
                   || status || ' ' || IFNULL(final_validation_accuracy, '-') || ' ' || IFNULL(test_confusion, '-')
                   || ' ' || cell_index FROM runs ORDER BY 1
            """) { $0.string(0)! }
    }

    @Test func eachOuterFoldChoosesOnItsInnerFoldsAndScoresItsRefitOnce() throws {
        let dir = temporaryDirectory()
        let db = dir.appendingPathComponent("runs.db").path
        let grid = try nestedGrid()
        let (prepared, summary) = try runSweep(grid, db: db, jobs: 2)
        #expect(prepared.cellCount == 2 * 2 * 3 * 2)
        #expect(summary.complete)
        let store = try RunStore(path: db)
        let selections = try store.selections(sweepID: prepared.sweepID)
        #expect(selections.map(\.outerFold) == [1, 2, 3])
        #expect(try store.connection.scalar("SELECT COUNT(*) FROM runs WHERE phase = 'refit' AND status = 'finished'")?.int == 6)
        for selection in selections {
            // The choice is the top of the fold's own leaderboard, over its 2 configurations.
            let board = try store.leaderboard(sweepID: prepared.sweepID, repeat: 0, outerFold: selection.outerFold)
            #expect(board.first?.configSHA256 == selection.configSHA256)
            #expect(selection.candidates == 2)
            #expect(board.allSatisfy { $0.runs == 2 * 2 })
            let epochs = try store.bestEpochs(sweepID: prepared.sweepID, configSHA256: selection.configSHA256,
                                              scope: (0, selection.outerFold))
            #expect(epochs.count == 4)
            #expect(selection.refitEpochs == RefitPhase.medianEpoch(epochs))
            // The refit runs train the chosen configuration for that many epochs, without validation rows.
            let refits = try store.connection.query("""
                SELECT config, epochs_run, final_validation_accuracy, split_id FROM runs
                WHERE phase = 'refit' AND outer_fold = ? ORDER BY seed
                """, [.of(selection.outerFold)]) { s in
                (try s.string("config")!, try s.int("epochs_run")!, try s.double("final_validation_accuracy"), try s.id("split_id")!)
            }
            #expect(refits.count == 2)
            for (config, epochsRun, validation, splitID) in refits {
                #expect(epochsRun == selection.refitEpochs)
                #expect(config.contains("\"epochs\":\(selection.refitEpochs)"))
                #expect(validation == nil)
                let rows = try store.split(id: splitID)
                #expect(rows.validation.isEmpty && rows.train.count + rows.test.count == 150)
            }
        }
        let scores = try store.refitScores(sweepID: prepared.sweepID)
        #expect(scores.map(\.scored).reduce(0, +) == 2 * 150)
        #expect(Set(scores.flatMap(\.testRows)).count == 150)
        // Search runs never see the outer test rows: they have none.
        #expect(try store.connection.scalar("SELECT COUNT(*) FROM runs WHERE phase = 'search' AND test_accuracy IS NOT NULL")?.int == 0)
    }

    @Test func runningAgainOrDecidingAgainChangesNothing() throws {
        let dir = temporaryDirectory()
        let db = dir.appendingPathComponent("runs.db").path
        let grid = try nestedGrid()
        let (prepared, _) = try runSweep(grid, db: db, jobs: 1)
        let store = try RunStore(path: db)
        let before = try outcomes(store)
        let selections = try store.selections(sweepID: prepared.sweepID)
        let (again, summary) = try runSweep(grid, db: db, jobs: 2)
        #expect(again.newCells == 0)
        #expect(summary.trained == 0)
        #expect(try outcomes(store) == before)
        #expect(try store.selections(sweepID: prepared.sweepID) == selections)
        // A second decision (another process) stores nothing and queues nothing.
        #expect(try RefitPhase.selectReady(again.refit!, sweepID: again.sweepID, store: store) == 0)
        var other = selections[0]
        other.configSHA256 = String(repeating: "0", count: 64)
        #expect(try store.recordSelection(sweepID: prepared.sweepID, datasetID: again.refit!.datasetID, other, refitCells: []) == false)
        #expect(try store.selections(sweepID: prepared.sweepID) == selections)
    }

    @Test func aFoldWithUnfinishedSearchRunsIsNotChosen() throws {
        let dir = temporaryDirectory()
        let db = dir.appendingPathComponent("runs.db").path
        let grid = try nestedGrid()
        let store = try RunStore(path: db)
        let prepared = try SweepPlanner.prepare(grid: grid, dataset: loadDataset(grid), store: store, toolVersion: "test")
        #expect(try RefitPhase.selectReady(prepared.refit!, sweepID: prepared.sweepID, store: store) == 0)
        #expect(try store.selections(sweepID: prepared.sweepID).isEmpty)
    }

    /// With `--shard`, no process chooses; after `exp merge`, a run of the sweep on the merged
    /// database chooses and refits, with the result of one process.
    @Test func shardsChooseNothingAndTheMergedDatabaseRefitsAsOneProcessWould() throws {
        let dir = temporaryDirectory()
        let grid = try nestedGrid()
        let whole = dir.appendingPathComponent("whole.db").path
        try runSweep(grid, db: whole, jobs: 2)

        var shardPaths: [String] = []
        for index in 0..<2 {
            let path = dir.appendingPathComponent("shard\(index).db").path
            let store = try RunStore(path: path)
            let prepared = try SweepPlanner.prepare(grid: grid, dataset: loadDataset(grid), store: store, toolVersion: "test")
            _ = SweepRunner().run(prepared, store: store, options: SweepOptions(jobs: 2, shard: (index, 2), toolVersion: "test"))
            #expect(try store.selections(sweepID: prepared.sweepID).isEmpty)
            #expect(try store.connection.scalar("SELECT COUNT(*) FROM runs WHERE phase = 'refit'")?.int == 0)
            shardPaths.append(path)
        }
        let merged = dir.appendingPathComponent("merged.db").path
        let store = try RunStore(path: merged)
        for path in shardPaths { try store.merge(from: path) }
        let (prepared, summary) = try runSweep(grid, db: merged, jobs: 2)
        #expect(summary.trained == 6)
        let wholeStore = try RunStore(path: whole)
        #expect(try store.selections(sweepID: prepared.sweepID).map(\.configSHA256)
            == wholeStore.selections(sweepID: 1).map(\.configSHA256))
        #expect(try outcomes(store) == outcomes(wholeStore))

        // Merging a database with choices copies them, once.
        let copy = dir.appendingPathComponent("copy.db").path
        let copyStore = try RunStore(path: copy)
        try copyStore.merge(from: whole)
        try copyStore.merge(from: whole)
        #expect(try copyStore.selections(sweepID: 1) == wholeStore.selections(sweepID: 1))
        #expect(try outcomes(copyStore) == outcomes(wholeStore))
    }

    @Test func kFoldWithRefitChoosesOnceOverEveryRepeatAndScoresTheTestRows() throws {
        let dir = temporaryDirectory()
        let db = dir.appendingPathComponent("runs.db").path
        let grid = try grid(gridText(name: "refit", seeds: [1], grid: Self.twoConfigurations,
                                     protocolJSON: #"{"test_fraction": 0.2, "folds": 3, "repeats": 2, "refit": true}"#))
        let (prepared, summary) = try runSweep(grid, db: db, jobs: 2)
        #expect(prepared.cellCount == 2 * 1 * 2 * 3)
        #expect(summary.complete)
        let store = try RunStore(path: db)
        let selections = try store.selections(sweepID: prepared.sweepID)
        #expect(selections.count == 1)
        #expect(selections.first?.configSHA256 == (try store.bestConfiguration(sweepID: prepared.sweepID))?.configSHA256)
        let scores = try store.refitScores(sweepID: prepared.sweepID)
        #expect(scores.first?.scored == 30)
        #expect(scores.first?.testRows.count == 30)
        #expect(try store.connection.scalar("SELECT COUNT(DISTINCT repeat) FROM runs WHERE phase = 'search'")?.int == 2)
    }

    @Test func medianEpochRoundsHalfUp() {
        #expect(RefitPhase.medianEpoch([]) == nil)
        #expect(RefitPhase.medianEpoch([7]) == 7)
        #expect(RefitPhase.medianEpoch([3, 4]) == 4)
        #expect(RefitPhase.medianEpoch([2, 5, 9]) == 5)
        #expect(RefitPhase.medianEpoch([2, 4, 9, 10]) == 7)
    }
}
