import Datasets
import Foundation
import NeuralNet
import Testing
import TestSupport
@testable import Sweep
@testable import Tracker

@Suite struct SweepExecutionTests {
    @Test func smallSweepStoresEveryRunWithOneMetricsRowPerEpoch() throws {
        let dir = temporaryDirectory()
        let grid = try grid(gridText(name: "small", seeds: [1, 2], grid: #"{"hidden_layers": [[4]], "learning_rate": [0.1, 0.5], "epochs": [20]}"#))
        let (prepared, summary) = try runSweep(grid, db: dir.appendingPathComponent("runs.db").path, jobs: 2)
        #expect(prepared.cellCount == 4)
        #expect(summary.counts == [.finished: 4])
        let store = try RunStore(path: dir.appendingPathComponent("runs.db").path)
        #expect(try store.connection.scalar("SELECT COUNT(*) FROM epoch_metrics")?.int == 4 * 20)
        #expect(try store.connection.scalar("SELECT COUNT(DISTINCT run_id || '-' || epoch) FROM epoch_metrics")?.int == 80)
        #expect(try store.connection.scalar("SELECT COUNT(*) FROM weights")?.int == 8)
        #expect(try store.connection.scalar("SELECT COUNT(*) FROM runs WHERE test_accuracy IS NULL OR test_loss IS NULL OR final_validation_accuracy IS NULL")?.int == 0)
        // Every hyperparameter is a params row, numbers sortable as numbers.
        #expect(try store.connection.scalar("SELECT COUNT(*) FROM params WHERE run_id = 1")?.int == HyperparameterSchema.current.names.count)
        #expect(try store.connection.scalar("SELECT value_real FROM params WHERE run_id = 1 AND name = 'learning_rate'")?.double == 0.1)
        // No stored row refers to a row that does not exist.
        #expect(try store.connection.query("PRAGMA foreign_key_check") { _ in 1 }.isEmpty)
    }

    /// Runs long enough to flush their rows while they train (about once a second) end with the
    /// curves of runs that store their rows with the result only: every epoch once, the same
    /// values (the elapsed times aside, which are the clock's). A reader polling the flushing
    /// sweep sees rows of a running run, so flushes did happen.
    @Test(.tags(.slow), .skippedWhenFast) func runsThatFlushStoreTheCurvesOfRunsThatDoNot() throws {
        let dir = temporaryDirectory()
        let grid = try grid(gridText(name: "long", seeds: [1, 2], grid: #"{"hidden_layers": [[16, 16]], "batch_size": [8], "epochs": [1000]}"#))
        var curves: [[EpochRow]] = []
        for flushes in [true, false] {
            let db = dir.appendingPathComponent("flush-\(flushes).db").path
            _ = try RunStore(path: db)
            let sawRunningRows = Flag()
            let done = Flag()
            let poller = Thread {
                guard let reader = try? RunStore(path: db, readOnly: true) else { return }
                while !done.isSet {
                    if let rows = try? reader.connection.scalar("""
                        SELECT COUNT(*) FROM epoch_metrics e JOIN runs r USING (run_id) WHERE r.status = 'running'
                        """)?.int, rows > 0 { sawRunningRows.set() }
                    Thread.sleep(forTimeInterval: 0.05)
                }
            }
            poller.start()
            let (_, summary) = try runSweep(grid, db: db, jobs: 2, flushesEpochs: flushes)
            done.set()
            #expect(summary.counts == [.finished: 2])
            #expect(sawRunningRows.isSet == flushes)
            let store = try RunStore(path: db)
            curves.append(try [1, 2].flatMap { try #require(try store.runDetail(id: $0)).curve }.map { row in
                var row = row
                row.elapsedSeconds = nil
                return row
            })
        }
        #expect(curves[0].count == 2 * 1000)
        #expect(curves[0] == curves[1])
    }

    @Test func resultsDoNotDependOnTheNumberOfJobs() throws {
        let dir = temporaryDirectory()
        let grid = try GridFile.load(fixture("cases/grids/g04_nested_lists.json"))
        var weights: [[String: [UInt8]]] = []
        for jobs in [1, 4] {
            let db = dir.appendingPathComponent("jobs\(jobs).db").path
            let (_, summary) = try runSweep(grid, db: db, jobs: jobs)
            #expect(summary.counts == [.finished: 24])
            let store = try RunStore(path: db)
            let rows = try store.connection.query("""
                SELECT r.config_sha256 || '/' || r.seed || '/' || w.kind, w.data FROM weights w JOIN runs r USING (run_id)
                """) { ($0.string(0)!, $0.value(1).bytes!) }
            weights.append(Dictionary(uniqueKeysWithValues: rows))
            // each (config, seed) exactly once
            #expect(try store.connection.scalar("SELECT COUNT(DISTINCT config_sha256 || seed) FROM runs")?.int == 24)
        }
        #expect(weights[0].count == 48)
        #expect(weights[0] == weights[1])
    }

    @Test func divergingRunsAreRecordedAndRankLast() throws {
        let dir = temporaryDirectory()
        let db = dir.appendingPathComponent("runs.db").path
        let grid = try GridFile.load(fixture("cases/grids/g08_diverging.json"))
        let (_, summary) = try runSweep(grid, db: db, jobs: 2)
        #expect(summary.counts == [.finished: 2, .diverged: 2])
        #expect(summary.complete)
        let store = try RunStore(path: db)
        let diverged = try store.connection.query("""
            SELECT p.value_real, r.diverged_epoch, r.final_validation_accuracy, r.error FROM runs r
            JOIN params p ON p.run_id = r.run_id AND p.name = 'learning_rate' WHERE r.status = 'diverged'
            """) { ($0.double(0), $0.int(1), $0.double(2), $0.string(3)) }
        #expect(diverged.count == 2)
        for row in diverged {
            #expect(row.0 == 1000)
            #expect((row.1 ?? 0) >= 1)
            #expect(row.2 == nil)
            #expect(row.3?.contains("diverged") == true)
        }
        let ranked = try store.connection.query("SELECT config, diverged_runs FROM leaderboard") { ($0.string(0)!, $0.int(1)!) }
        #expect(ranked.count == 2)
        #expect(ranked.last?.1 == 2)
        #expect(ranked.first?.0.contains("\"learning_rate\":0.1") == true)
    }

    @Test func runningTheSameGridAgainRunsNothingTwice() throws {
        let dir = temporaryDirectory()
        let db = dir.appendingPathComponent("runs.db").path
        let grid = try GridFile.load(fixture("cases/grids/g06_duplicate_values.json"))
        let (first, _) = try runSweep(grid, db: db, jobs: 2)
        #expect(first.newCells == 4)
        let (second, summary) = try runSweep(grid, db: db, jobs: 2)
        #expect(second.newCells == 0)
        #expect(summary.trained == 0)
        let store = try RunStore(path: db)
        #expect(try store.connection.scalar("SELECT COUNT(*) FROM runs WHERE status = 'finished' AND attempt = 1")?.int == 4)
    }

    /// A grid that drops a stored cell cannot continue the sweep (docs/sweeps.md, "Extending a sweep").
    @Test func aChangedGridUnderTheSameNameIsRefused() throws {
        let dir = temporaryDirectory()
        let db = dir.appendingPathComponent("runs.db").path
        try runSweep(grid(gridText(name: "same", seeds: [1], grid: #"{"epochs": [5]}"#)), db: db, jobs: 1)
        let error = try #require(throws: GridChangeError.self) {
            try runSweep(grid(gridText(name: "same", seeds: [1], grid: #"{"epochs": [6]}"#)), db: db, jobs: 1)
        }
        #expect(error.sweep == "same" && error.differences.map(\.description) == ["grid.epochs: 5 stored, missing now"])
    }

    @Test func defaultSeedsAreStoredOnEveryRun() throws {
        let dir = temporaryDirectory()
        let db = dir.appendingPathComponent("runs.db").path
        let grid = try GridFile.load(fixture("cases/grids/g05_no_seeds.json"))
        try runSweep(grid, db: db, jobs: 2)
        let store = try RunStore(path: db)
        let seeds = try store.connection.query("SELECT DISTINCT seed FROM runs ORDER BY seed") { $0.int(0)! }
        #expect(seeds == GridFile.defaultSeeds)
        #expect(try store.connection.scalar("SELECT COUNT(*) FROM runs")?.int == 10)
    }

    @Test func kFoldRunsEachFoldWithTheSameTestRows() throws {
        let dir = temporaryDirectory()
        let db = dir.appendingPathComponent("runs.db").path
        let grid = try grid(gridText(name: "cv", seeds: [1], grid: #"{"epochs": [10]}"#,
                                     protocolJSON: #"{"test_fraction": 0.2, "folds": 3, "split_seed": 0}"#))
        let (prepared, summary) = try runSweep(grid, db: db, jobs: 2)
        #expect(prepared.cellCount == 3)
        #expect(summary.counts == [.finished: 3])
        let store = try RunStore(path: db)
        let splits = try store.connection.query("SELECT split_id FROM runs ORDER BY fold") { Int64($0.int(0)!) }.map { try store.split(id: $0) }
        #expect(Set(splits.map(\.test)).count == 1)
        let validation = splits.flatMap(\.validation)
        #expect(validation.count == Set(validation).count)
        #expect(Set(validation).union(splits[0].test).count == 150)
    }
}

@Suite struct StoredModelTests {
    /// A run's stored weights, on its stored test rows, reproduce its recorded test accuracy
    /// exactly — the path `exp predict` and `exp evaluate` take.
    @Test func storedWeightsReproduceTheRecordedTestAccuracy() throws {
        let dir = temporaryDirectory()
        let db = dir.appendingPathComponent("runs.db").path
        let grid = try grid(gridText(name: "stored", seeds: [1, 2], grid: #"{"hidden_layers": [[4]], "epochs": [30], "loss": ["cross_entropy"]}"#))
        try runSweep(grid, db: db, jobs: 2)
        let store = try RunStore(path: db)
        let dataset = try loadDataset(grid)
        let runs = try store.connection.query("SELECT run_id, split_id, test_accuracy FROM runs") {
            (Int64($0.int(0)!), Int64($0.int(1)!), $0.double(2)!)
        }
        #expect(runs.count == 2)
        for (runID, splitID, recorded) in runs {
            let model = try Model(safetensors: store.weights(runID: runID))
            let rows = try store.split(id: splitID).test
            let subset = dataset.rows(rows)
            let accuracy = model.evaluate(LabeledData(features: Matrix(rows: rows.count, columns: dataset.featureCount, values: subset.features),
                                                      labels: subset.labels))
            #expect(accuracy == recorded)
        }
    }
}

@Suite struct ProtocolTests {
    /// A protocol that leaves a class without training rows is refused before anything is stored.
    @Test func impossibleProtocolIsRefusedBeforeStoring() throws {
        let dir = temporaryDirectory()
        let db = dir.appendingPathComponent("runs.db").path
        let text = """
            {"name": "tiny", "dataset": "cases/data/d04a_iris_noheader.data", "seeds": [1],
             "protocol": {"test_fraction": 0.5, "validation_fraction": 0.45}, "grid": {"epochs": [5]}}
            """
        let grid = try grid(text)
        #expect(throws: Datasets.SplitError.self) { try runSweep(grid, db: db, jobs: 1) }
        let store = try RunStore(path: db)
        #expect(try store.connection.scalar("SELECT COUNT(*) FROM datasets")?.int == 0)
        #expect(try store.connection.scalar("SELECT COUNT(*) FROM sweeps")?.int == 0)
    }

    @Test func foldsAndValidationFractionTogetherAreRefused() {
        #expect(throws: GridError.self) {
            try grid(gridText(name: "both", seeds: [1], grid: #"{"epochs": [5]}"#,
                              protocolJSON: #"{"validation_fraction": 0.2, "folds": 3}"#))
        }
    }
}

@Suite struct ResumeGuardTests {
    /// Resuming a sweep whose data file changed is refused by name, and nothing new is stored
    /// (no new data set version).
    @Test func changedDataIsRefusedBeforeStoring() throws {
        let dir = temporaryDirectory()
        let data = dir.appendingPathComponent("flowers.data")
        let original = try String(contentsOf: fixture("data/iris.data"), encoding: .utf8)
        try original.write(to: data, atomically: true, encoding: .utf8)
        let gridURL = dir.appendingPathComponent("grid.json")
        try #"{"name": "guarded", "dataset": "flowers.data", "seeds": [1], "grid": {"epochs": [3]}}"#
            .write(to: gridURL, atomically: true, encoding: .utf8)
        let db = dir.appendingPathComponent("runs.db").path
        try runSweep(GridFile.load(gridURL), db: db, jobs: 1)

        try original.replacingOccurrences(of: "5.1,3.5,1.4,0.2", with: "5.2,3.5,1.4,0.2").write(to: data, atomically: true, encoding: .utf8)
        do {
            try runSweep(GridFile.load(gridURL), db: db, jobs: 1)
            Issue.record("a changed data file was accepted")
        } catch let error as TrackerError {
            guard case .dataChanged(let sweep, let file, _, _) = error else { Issue.record("\(error)"); return }
            #expect(sweep == "guarded")
            #expect(file.hasSuffix("flowers.data"))
        }
        let store = try RunStore(path: db)
        #expect(try store.connection.scalar("SELECT COUNT(*) FROM datasets")?.int == 1)
    }
}
