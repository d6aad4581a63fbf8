import Foundation
import Testing
import TestSupport
@testable import Sweep
@testable import Tracker

/// Successive halving and Hyperband run in-process: rungs decided at exactly their budgets,
/// promoted runs continued from their checkpoints, the same outcome whatever the number of jobs.
@Suite struct HalvingSweepTests {
    /// Nine configurations x two seeds on Iris; budgets 1, 3, 9 epochs.
    static func halvingGrid(method: String = "successive_halving", name: String = "halving",
                            rates: String = "0.05, 0.5, 2", seeds: [Int] = [1, 2]) throws -> GridFile {
        try grid("""
            {"name": "\(name)", "dataset": "data/iris.data", "seeds": \(seeds),
             "protocol": {"test_fraction": 0.2, "validation_fraction": 0.2, "split_seed": 0},
             "search": {"method": "\(method)", "min_epochs": 1, "max_epochs": 9, "reduction_factor": 3},
             "grid": {"hidden_layers": [[4], [8], [16]], "learning_rate": [\(rates)], "optimizer": ["momentum"],
                      "activation": ["tanh"], "loss": ["cross_entropy"], "init": ["xavier"], "batch_size": [16]}}
            """)
    }

    /// Everything a halving sweep decided and stored, by configuration and seed.
    static func outcome(_ db: String) throws -> [String] {
        let store = try RunStore(path: db)
        let runs = try store.connection.query("""
            SELECT r.config_sha256 || '/' || r.seed || ' ' || r.status || ' ' || r.epochs_run || ' '
                   || COALESCE((SELECT group_concat(g.rung || g.outcome || g.rank, ',') FROM rungs g WHERE g.run_id = r.run_id), '')
                   || ' ' || (SELECT hex(data) FROM weights w WHERE w.run_id = r.run_id AND w.kind = 'final') AS line
            FROM runs r ORDER BY r.config_sha256, r.seed
            """) { s in try s.required(s.string, "line") }
        return runs
    }

    @Test func successiveHalvingPromotesAThirdAtEachRungAndPrunesTheRest() throws {
        let dir = temporaryDirectory()
        let db = dir.appendingPathComponent("runs.db").path
        let (prepared, summary) = try runSweep(try Self.halvingGrid(), db: db, jobs: 2)
        #expect(prepared.halving?.budgets == [1, 3, 9])
        #expect(prepared.halving?.plannedTrainings == (9 + 3 + 1) * 2)
        #expect(summary.complete)
        // 9 configurations -> 3 -> 1: 6 + 2 runs pruned at rung 0 and 1 ... per seed.
        #expect(summary.counts == [.pruned: 16, .finished: 2])
        let store = try RunStore(path: db)
        let epochs = try store.connection.query("SELECT status, epochs_run, COUNT(*) AS n FROM runs GROUP BY status, epochs_run ORDER BY 1, 2") { s in
            "\(try s.required(s.string, "status")) \(try s.required(s.int, "epochs_run")) \(try s.required(s.int, "n"))"
        }
        #expect(epochs == ["finished 9 2", "pruned 1 12", "pruned 3 4"])
        // Each run's curve is whole: one epoch_metrics row per epoch it trained.
        #expect(try store.connection.scalar("SELECT SUM(epochs_run) FROM runs")?.int
                == store.connection.scalar("SELECT COUNT(*) FROM epoch_metrics")?.int)
        #expect(try store.connection.scalar("SELECT SUM(epochs_run) FROM runs")?.int == 12 + 12 + 18)
        let decisions = try store.rungDecisions(sweepID: prepared.sweepID)
        #expect(decisions.filter { $0.rung == 0 }.count == 18 && decisions.filter { $0.rung == 1 }.count == 6)
        #expect(decisions.filter { $0.rung == 0 && $0.promoted }.count == 6)
        #expect(decisions.filter { $0.rung == 1 && $0.promoted }.count == 2)
        // Rung 1 ranked on the 3-epoch results the rungs table keeps.
        #expect(decisions.filter { $0.rung == 1 }.allSatisfy { $0.budgetEpochs == 3 && $0.candidates == 3 })
    }

    @Test func aPromotedRunEqualsTheSameRunTrainedInOneGo() throws {
        let dir = temporaryDirectory()
        let db = dir.appendingPathComponent("runs.db").path
        try runSweep(try Self.halvingGrid(), db: db, jobs: 1)
        let store = try RunStore(path: db)
        let top = try store.connection.query("""
            SELECT config, seed, run_id FROM runs WHERE status = 'finished' ORDER BY seed
            """) { s in (try s.required(s.string, "config"), try s.required(s.int, "seed"), try s.required(s.id, "run_id")) }
        #expect(top.count == 2)
        // The same configuration as a grid cell of 9 epochs, trained in one go.
        // Stored with the top rung's epochs, not the default 3000.
        let hp = try hyperparameters(fromConfig: top[0].0)
        #expect(hp.epochs == 9)
        let oneGo = dir.appendingPathComponent("one-go.db").path
        let gridOneGo = try grid(gridText(name: "one-go", seeds: [top[0].1], grid: """
            {"hidden_layers": [\(hp.hiddenLayers)], "learning_rate": [\(hp.learningRate)], "optimizer": ["momentum"],
             "activation": ["tanh"], "loss": ["cross_entropy"], "init": ["xavier"], "batch_size": [16], "epochs": [9]}
            """))
        try runSweep(gridOneGo, db: oneGo, jobs: 1)
        let whole = try RunStore(path: oneGo)
        #expect(try whole.weights(runID: 1) == store.weights(runID: top[0].2))
        #expect(try whole.weights(runID: 1, kind: "best") == store.weights(runID: top[0].2, kind: "best"))
        let curve = { (s: RunStore, id: Int64) in
            try s.connection.query("SELECT epoch, train_loss, validation_loss, validation_accuracy FROM epoch_metrics WHERE run_id = ? ORDER BY epoch",
                                   [.integer(id)]) { st in (0..<4).map { st.value($0) } }
        }
        #expect(try curve(whole, 1) == curve(store, top[0].2))
    }

    @Test func theOutcomeDoesNotDependOnTheNumberOfJobs() throws {
        let dir = temporaryDirectory()
        var outcomes: [[String]] = []
        for jobs in [1, 2] {
            let db = dir.appendingPathComponent("jobs\(jobs).db").path
            try runSweep(try Self.halvingGrid(), db: db, jobs: jobs)
            outcomes.append(try Self.outcome(db))
        }
        #expect(outcomes[0].count == 18)
        #expect(outcomes[0] == outcomes[1])
    }

    @Test func hyperbandCountsFollowLiEtAlAndScaleByLargestRemainders() throws {
        // Li et al. 2018, Table: R = 81, η = 3: n_s = 81, 34, 15, 8, 5 for s = 4 ... 0.
        #expect(HalvingPlan.hyperbandCounts(configurations: 143, bracketCount: 5, reductionFactor: 3) == [5, 8, 15, 34, 81])
        // 100 configurations: 100 n_s / 143 = 3.50, 5.59, 10.49, 23.78, 56.64; the three left
        // go to s = 3, 4, 1 (the largest remainders).
        #expect(HalvingPlan.hyperbandCounts(configurations: 100, bracketCount: 5, reductionFactor: 3) == [3, 6, 10, 24, 57])
        // Ties go to the larger s; fewer configurations than brackets leave brackets empty.
        #expect(HalvingPlan.hyperbandCounts(configurations: 2, bracketCount: 5, reductionFactor: 3) == [0, 0, 0, 1, 1])
        #expect(HalvingPlan.hyperbandCounts(configurations: 0, bracketCount: 3, reductionFactor: 3) == [0, 0, 0])
        let search = SearchSpec(method: .hyperband, minEpochs: 1, maxEpochs: 81, reductionFactor: 3)
        let plan = try #require(HalvingPlan(search: search, groups: [(0..<143).map(String.init)], runsPerConfiguration: 1))
        #expect(plan.brackets.map(\.index) == [4, 3, 2, 1, 0])
        #expect(plan.brackets.map(\.firstRung) == [0, 1, 2, 3, 4])
        #expect(plan.brackets.map { plan.budgets[$0.firstRung] } == [1, 3, 9, 27, 81])
        #expect(plan.brackets.map(\.configurations.count) == [81, 34, 15, 8, 5])
        // 81 + 27 + 9 + 3 + 1, 34 + 11 + 3 + 1, 15 + 5 + 1, 8 + 2, 5.
        #expect(plan.plannedTrainings == 121 + 49 + 21 + 10 + 5)
        // In the grid's order: the first 81 configurations in bracket 4, the next 34 in bracket 3, ...
        #expect(plan.brackets[0].configurations.first == "0" && plan.brackets[1].configurations.first == "81"
                && plan.brackets[4].configurations == ["138", "139", "140", "141", "142"])
    }

    @Test func hyperbandRunsOneBracketPerStartingRung() throws {
        let dir = temporaryDirectory()
        let db = dir.appendingPathComponent("runs.db").path
        let (prepared, summary) = try runSweep(try Self.halvingGrid(method: "hyperband", name: "hyperband"), db: db, jobs: 2)
        let plan = try #require(prepared.halving)
        // s_max = 2: n_s = 3, 5, 9 (sum 17) scaled to 9 configurations: 1, 3, 5.
        #expect(plan.brackets.map(\.index) == [2, 1, 0])
        #expect(plan.brackets.map(\.firstRung) == [0, 1, 2])
        #expect(plan.brackets.map(\.configurations.count) == [5, 3, 1])
        #expect(summary.complete)
        // Bracket 2: 5 configurations at 1 epoch -> 1 at 3 -> 1 at 9; bracket 1: 3 at 3 -> 1 at 9;
        // bracket 0: 1 at 9. Two seeds each.
        let store = try RunStore(path: db)
        let epochs = try store.connection.query("SELECT status, epochs_run, COUNT(*) AS n FROM runs GROUP BY status, epochs_run ORDER BY 1, 2") { s in
            "\(try s.required(s.string, "status")) \(try s.required(s.int, "epochs_run")) \(try s.required(s.int, "n"))"
        }
        #expect(epochs == ["finished 9 6", "pruned 1 8", "pruned 3 4"])
        let decisions = try store.rungDecisions(sweepID: prepared.sweepID)
        #expect(Set(decisions.map(\.bracket)) == [2, 1])
    }

    @Test func moreConfigurationsStartANewBracketAndDecidedRungsNeverChange() throws {
        let dir = temporaryDirectory()
        let db = dir.appendingPathComponent("runs.db").path
        let (first, _) = try runSweep(try Self.halvingGrid(), db: db, jobs: 2)
        let before = try RunStore(path: db).rungDecisions(sweepID: first.sweepID)
        let decidedAt = try RunStore(path: db).connection.query("SELECT run_id || '/' || rung || '/' || decided_at AS d FROM rungs ORDER BY 1") {
            try $0.required($0.string, "d")
        }
        // Three more configurations (learning rate 1): a bracket of their own.
        let (extended, summary) = try runSweep(try Self.halvingGrid(rates: "0.05, 0.5, 2, 1"), db: db, jobs: 2)
        #expect(extended.halving?.brackets.map(\.configurations.count) == [9, 3])
        #expect(summary.complete)
        let store = try RunStore(path: db)
        let after = try store.rungDecisions(sweepID: extended.sweepID)
        #expect(Array(after.prefix(before.count)) == before)
        #expect(try store.connection.query("SELECT run_id || '/' || rung || '/' || decided_at AS d FROM rungs WHERE run_id <= 18 ORDER BY 1") {
            try $0.required($0.string, "d")
        } == decidedAt)
        let added = after.filter { $0.bracket == 1 }
        // 3 configurations x 2 seeds at rung 0, one configuration promoted to rung 1 (3 -> 1 -> 1).
        #expect(added.filter { $0.rung == 0 }.count == 6 && added.filter { $0.rung == 0 && $0.promoted }.count == 2)
        #expect(summary.counts[.finished] == 4)
    }

    @Test func addingSeedsToAHalvingSearchIsRefusedNamingTheKey() throws {
        let dir = temporaryDirectory()
        let db = dir.appendingPathComponent("runs.db").path
        try runSweep(try Self.halvingGrid(), db: db, jobs: 2)
        let before = try Self.outcome(db)
        let store = try RunStore(path: db)
        let more = try Self.halvingGrid(seeds: [1, 2, 3])
        #expect {
            try SweepPlanner.prepare(grid: more, dataset: try loadDataset(more), store: store, toolVersion: "test")
        } throws: { error in
            guard let change = error as? GridChangeError else { return false }
            return change.differences.map(\.path) == ["seeds"]
                && change.description.contains("seeds: 3 added; a successive_halving search ranks each configuration over all of its seeds")
        }
        // Nothing stored changed; more configurations are still taken.
        #expect(try Self.outcome(db) == before)
        #expect(try store.gridVersions(sweepID: 1).count == 1)
    }
}
