import Determinism
import Foundation
import Testing
import TestSupport
@testable import Tracker

@Suite struct StoreTests {
    let scratch: Scratch
    let store: RunStore

    init() throws {
        scratch = try Scratch()
        store = try RunStore(path: scratch.path("runs.db"))
    }

    @Test func sameDatasetContentIsStoredOnceAndNewContentGetsTheNextVersion() throws {
        defer { scratch.cleanup() }
        let first = try store.storeDataset(sampleDataset())
        let again = try store.storeDataset(sampleDataset())
        #expect(first.id != nil)
        #expect(again.id == first.id)
        #expect(again.version == 1)
        #expect(again.content == sampleDataset().content)
        #expect(again.classNames == ["setosa", "versicolor", "virginica"])

        let changed = try store.storeDataset(sampleDataset(variant: 1))
        #expect(changed.id != first.id)
        #expect(changed.name == "iris")
        #expect(changed.version == 2)
        #expect(try store.dataset(named: "iris")?.id == changed.id)
        #expect(try store.dataset(id: first.id!)?.version == 1)
        #expect(try store.dataset(sha256: sampleDataset(variant: 1).sha256)?.version == 2)

        let other = try store.storeDataset(sampleDataset(name: "wine", variant: 2))
        #expect(other.version == 1)
        #expect(try store.datasets().map { "\($0.name) v\($0.version)" } == ["iris v1", "iris v2", "wine v1"])
        #expect(try store.connection.scalar("SELECT feature_count || '/' || class_count || '/' || row_count FROM datasets WHERE dataset_id = ?",
                                            [.integer(first.id!)])?.string == "4/3/12")
    }

    @Test func reopeningASweepWithAnotherGridThrowsGridChanged() throws {
        defer { scratch.cleanup() }
        let fixture = try prepare(store, sweep: "iris-lr", grid: "{\"name\": \"iris-lr\", \"seeds\": [1, 2]}")
        let resumed = try store.openSweep(SweepRecord(name: "iris-lr", datasetID: fixture.datasetID,
                                                      grid: "{\"name\": \"iris-lr\", \"seeds\": [1, 2]}", gridPath: nil,
                                                      protocolJSON: holdoutProtocol, toolVersion: "0.2.0"))
        #expect(resumed.id == fixture.sweepID)
        #expect(resumed.toolVersion == "0.1.0")
        #expect(throws: TrackerError.gridChanged(sweep: "iris-lr")) {
            try store.openSweep(SweepRecord(name: "iris-lr", datasetID: fixture.datasetID,
                                            grid: "{\"name\": \"iris-lr\", \"seeds\": [1, 2, 3]}", gridPath: nil,
                                            protocolJSON: holdoutProtocol, toolVersion: "0.1.0"))
        }
        #expect(try store.sweepNames() == ["iris-lr"])
        #expect(try store.connection.scalar("SELECT grid_sha256 FROM sweeps")?.string == sha256Hex("{\"name\": \"iris-lr\", \"seeds\": [1, 2]}"))
    }

    @Test func enqueueIsIdempotent() throws {
        defer { scratch.cleanup() }
        let fixture = try prepare(store)
        let grid = cells([Config(learningRate: 0.1, hidden: 8), Config(learningRate: 0.01, hidden: 8)], seeds: [1, 2, 3], splitID: fixture.splitID)
        #expect(try store.enqueue(sweepID: fixture.sweepID, datasetID: fixture.datasetID, cells: grid) == 6)
        #expect(try store.enqueue(sweepID: fixture.sweepID, datasetID: fixture.datasetID, cells: grid) == 0)
        #expect(try store.connection.scalar("SELECT COUNT(*) FROM runs")?.int == 6)
        #expect(try store.connection.scalar("SELECT COUNT(*) FROM params")?.int == 30)
        #expect(try store.statusCounts(sweepID: fixture.sweepID) == [.queued: 6])

        // The UNIQUE (sweep, config hash, seed, fold) constraint itself, as SQL sees it.
        let error = try #require(throws: SQLiteError.self) {
            try store.connection.run("""
                INSERT INTO runs (sweep_id, dataset_id, split_id, cell_index, config, config_sha256, seed, fold, split_seed)
                SELECT sweep_id, dataset_id, split_id, 99, config, config_sha256, seed, fold, split_seed FROM runs WHERE run_id = 1
                """)
        }
        #expect(error.code == 2067)
        #expect(error.message.contains("runs.sweep_id, runs.config_sha256, runs.seed, runs.repeat, runs.outer_fold, runs.fold, runs.phase"))

        // A bad cell is an error, not silently skipped; nothing of the batch is queued.
        var bad = cells([Config(learningRate: 0.5, hidden: 4)], seeds: [1], splitID: fixture.splitID)
        bad[0].index = 6
        bad.append(Cell(index: 7, config: "not json", params: [], seed: 1, fold: 0, splitSeed: 7, splitID: fixture.splitID))
        #expect(throws: SQLiteError.self) { try store.enqueue(sweepID: fixture.sweepID, datasetID: fixture.datasetID, cells: bad) }
        #expect(try store.connection.scalar("SELECT COUNT(*) FROM runs")?.int == 6)
    }

    @Test func recordReplacesAnEarlierAttemptsMetricsAndWeights() throws {
        defer { scratch.cleanup() }
        let fixture = try prepare(store)
        try store.enqueue(sweepID: fixture.sweepID, datasetID: fixture.datasetID,
                          cells: cells([Config(learningRate: 0.1, hidden: 8)], seeds: [1], splitID: fixture.splitID))
        let first = try claimAndRecord(store, sweepID: fixture.sweepID, finishedResult(validationAccuracy: 0.5, epochs: 6))
        #expect(try store.connection.scalar("SELECT COUNT(*) FROM epoch_metrics WHERE run_id = ?", [.integer(first.runID)])?.int == 6)

        // The next attempt (a new claim of the same run) replaces the first one's results.
        let id = SQLValue.integer(first.runID)
        func claimAgain() throws -> ClaimedRun {
            try store.connection.run("UPDATE runs SET status = 'queued' WHERE run_id = ?", [id])
            return try #require(try store.claimNext(sweepID: fixture.sweepID, host: "testhost", pid: 4242))
        }
        let secondClaim = try claimAgain()
        var second = finishedResult(validationAccuracy: 0.75, epochs: 3, seconds: 4)
        second.weights = [(kind: "final", data: Data([1, 2, 3]))]
        #expect(throws: ClaimLostError(runID: first.runID)) { try store.record(first, second) }
        try store.record(secondClaim, second)
        #expect(try store.connection.query("SELECT epoch FROM epoch_metrics WHERE run_id = ? ORDER BY epoch", [id]) { $0.int(0)! } == [1, 2, 3])
        #expect(try store.connection.query("SELECT kind FROM weights WHERE run_id = ?", [id]) { $0.string(0)! } == ["final"])
        #expect(try store.weights(runID: first.runID) == Data([1, 2, 3]))
        #expect(throws: TrackerError.notFound("best weights of run \(first.runID)")) { try store.weights(runID: first.runID, kind: "best") }
        let row = try #require(try store.connection.query("""
            SELECT final_validation_accuracy, epochs_run, duration_seconds, status, test_confusion FROM runs WHERE run_id = ?
            """, [id]) { s in (s.double(0), s.int(1), s.double(2), s.string(3), s.string(4)) }.first)
        #expect(row.0 == 0.75)
        #expect(row.1 == 3)
        #expect(row.2 == 4)
        #expect(row.3 == "finished")
        #expect(row.4 == "[[1,0,0],[0,1,0],[0,0,0]]")
        #expect(try store.connection.scalar("SELECT sha256 FROM weights WHERE run_id = ?", [id])?.string == sha256Hex(Data([1, 2, 3])))

        // A result that breaks a constraint stores nothing, and the earlier one stays.
        let thirdClaim = try claimAgain()
        var broken = finishedResult(validationAccuracy: 1.5)
        broken.epochs = []
        #expect(throws: SQLiteError.self) { try store.record(thirdClaim, broken) }
        #expect(try store.connection.scalar("SELECT COUNT(*) FROM epoch_metrics WHERE run_id = ?", [id])?.int == 3)
        #expect(try store.connection.scalar("SELECT final_validation_accuracy FROM runs WHERE run_id = ?", [id])?.double == 0.75)
        var unknown = thirdClaim
        unknown.runID = 999
        #expect(throws: TrackerError.notFound("run 999")) { try store.record(unknown, second) }
    }

    @Test func requeueUnfinishedRequeuesInterruptedFailedAndDeadRuns() throws {
        defer { scratch.cleanup() }
        let fixture = try prepare(store)
        let configs = (1...6).map { Config(learningRate: Double($0) / 10, hidden: 8) }
        try store.enqueue(sweepID: fixture.sweepID, datasetID: fixture.datasetID, cells: cells(configs, seeds: [1], splitID: fixture.splitID))
        let observer = ClaimOwner(host: "testhost", pid: 1, bootID: "boot-1", pidNamespace: "pid:[1]")
        func owner(_ pid: Int, namespace: String = "pid:[1]") -> ClaimOwner {
            ClaimOwner(host: "testhost", pid: pid, bootID: "boot-1", pidNamespace: namespace)
        }
        let finished = try claimAndRecord(store, sweepID: fixture.sweepID, finishedResult(validationAccuracy: 0.9), pid: 100)
        var failedResult = RunResult(status: .failed, startedAt: Date(), endedAt: Date())
        failedResult.error = "out of memory"
        let failed = try claimAndRecord(store, sweepID: fixture.sweepID, failedResult, pid: 100)
        let interrupted = try #require(try store.claimNext(sweepID: fixture.sweepID, owner: owner(100)))
        #expect(try store.markInterrupted([interrupted]) == [interrupted.runID])
        let dead = try #require(try store.claimNext(sweepID: fixture.sweepID, owner: owner(200)))
        let alive = try #require(try store.claimNext(sweepID: fixture.sweepID, owner: owner(300)))
        // Another PID namespace on the same host: its pid 200 is not this namespace's pid 200.
        let elsewhere = try #require(try store.claimNext(sweepID: fixture.sweepID, owner: owner(200, namespace: "pid:[2]")))
        #expect([finished, failed, interrupted, dead, alive, elsewhere].map(\.attempt) == [1, 1, 1, 1, 1, 1])
        #expect(try store.claimNext(sweepID: fixture.sweepID, host: "testhost", pid: 100) == nil)

        // pid 200 is gone in this namespace; the other namespace's run has a fresh heartbeat, so it stays.
        let requeued = try store.requeueUnfinished(sweepID: fixture.sweepID, observer: observer) { $0 != 200 }
        #expect(requeued.requeued.map(\.runID) == [failed.runID, interrupted.runID, dead.runID])
        #expect(requeued.requeued.map(\.status) == [.failed, .interrupted, .interrupted])
        #expect(requeued.requeued.first?.error == "out of memory")
        #expect(requeued.skipped.isEmpty)
        func status(_ run: ClaimedRun) throws -> String? {
            try store.connection.scalar("SELECT status FROM runs WHERE run_id = ?", [.integer(run.runID)])?.string
        }
        #expect(try status(finished) == "finished")
        #expect(try status(failed) == "queued")
        #expect(try status(interrupted) == "queued")
        #expect(try status(dead) == "queued")
        #expect(try status(alive) == "running")
        #expect(try status(elsewhere) == "running")

        // The next claims take them again, in cell order, with the attempt counted.
        var again: [ClaimedRun] = []
        while let claim = try store.claimNext(sweepID: fixture.sweepID, host: "testhost", pid: 400) { again.append(claim) }
        #expect(again.map(\.runID) == [failed.runID, interrupted.runID, dead.runID])
        #expect(again.map(\.attempt) == [2, 2, 2])
        #expect(try store.connection.scalar("SELECT error FROM runs WHERE run_id = ?", [.integer(failed.runID)]) == .null)

        // A heartbeat older than the claim's window counts as lost, whatever the namespace.
        try store.connection.run("UPDATE runs SET heartbeat_at = '2000-01-01T00:00:00.000Z' WHERE run_id = ?", [.integer(elsewhere.runID)])
        #expect(try store.heartbeat([alive]).isEmpty)
        #expect(try store.requeueUnfinished(sweepID: fixture.sweepID, observer: observer) { _ in true }
                    .requeued.map(\.runID) == [elsewhere.runID])
        #expect(try status(elsewhere) == "queued")
        #expect(try status(alive) == "running")
        #expect(try store.claimNext(sweepID: fixture.sweepID, host: "testhost", pid: 400)?.attempt == 2)
    }

    @Test func nanMetricsAreStoredAsNullAndInfinitiesRoundTrip() throws {
        defer { scratch.cleanup() }
        let fixture = try prepare(store)
        try store.enqueue(sweepID: fixture.sweepID, datasetID: fixture.datasetID,
                          cells: cells([Config(learningRate: 5, hidden: 8)], seeds: [1], splitID: fixture.splitID))
        let run = try claimAndRecord(store, sweepID: fixture.sweepID, divergedResult(epoch: 3))
        let id = SQLValue.integer(run.runID)
        #expect(try store.connection.scalar("SELECT typeof(final_validation_loss) FROM runs WHERE run_id = ?", [id])?.string == "null")
        #expect(try store.connection.scalar("SELECT final_train_loss FROM runs WHERE run_id = ?", [id]) == .real(.infinity))
        #expect(try store.connection.scalar("SELECT final_train_loss = 9e999 FROM runs WHERE run_id = ?", [id])?.int == 1)
        #expect(try store.connection.scalar("SELECT train_loss FROM epoch_metrics WHERE run_id = ? AND epoch = 3", [id]) == .real(.infinity))
        #expect(try store.connection.scalar("SELECT validation_loss IS NULL FROM epoch_metrics WHERE run_id = ? AND epoch = 3", [id])?.int == 1)
        #expect(try store.connection.scalar("SELECT diverged_epoch || ' ' || status FROM runs WHERE run_id = ?", [id])?.string == "3 diverged")
    }

    /// Equal accuracies have a standard deviation of exactly 0 (regression: the one-pass
    /// formula of schema version 1 gave 1.5e-08 for five runs at 29/30, and that noise broke ties).
    @Test func equalAccuraciesHaveZeroStandardDeviation() throws {
        defer { scratch.cleanup() }
        let fixture = try prepare(store)
        let a = Config(learningRate: 0.1, hidden: 8)
        var grid = cells([a], seeds: [1, 2, 3, 4, 5], splitID: fixture.splitID)
        for i in grid.indices { grid[i].index = i }
        try store.enqueue(sweepID: fixture.sweepID, datasetID: fixture.datasetID, cells: grid)
        for _ in 0..<5 { try claimAndRecord(store, sweepID: fixture.sweepID, finishedResult(validationAccuracy: 29.0 / 30.0)) }
        #expect(try store.connection.scalar("SELECT validation_accuracy_std FROM leaderboard")?.double == 0)
    }

    @Test func leaderboardRanksDivergedConfigsLastWithMeanAndSampleStd() throws {
        defer { scratch.cleanup() }
        let fixture = try prepare(store)
        let a = Config(learningRate: 0.1, hidden: 8), b = Config(learningRate: 0.05, hidden: 16)
        let c = Config(learningRate: 1, hidden: 8), d = Config(learningRate: 0.001, hidden: 4)
        // Cells: A x3 seeds, B x2, C x2, D x1.
        var grid = cells([a], seeds: [1, 2, 3], splitID: fixture.splitID)
        grid += cells([b, c], seeds: [1, 2], splitID: fixture.splitID)
        grid += cells([d], seeds: [1], splitID: fixture.splitID)
        for i in grid.indices { grid[i].index = i }
        try store.enqueue(sweepID: fixture.sweepID, datasetID: fixture.datasetID, cells: grid)
        let outcomes: [RunResult] = [
            finishedResult(validationAccuracy: 0.9, testAccuracy: 0.8, seconds: 2),
            finishedResult(validationAccuracy: 0.8, testAccuracy: 0.7, seconds: 4),
            finishedResult(validationAccuracy: 0.7, testAccuracy: 0.9, seconds: 6),
            finishedResult(validationAccuracy: 0.95, testAccuracy: 0.9),
            finishedResult(validationAccuracy: 0.85, testAccuracy: 0.8),
            finishedResult(validationAccuracy: 0.99, testAccuracy: 0.99),  // C: the best single run...
            divergedResult(),                                              // ...but C also diverged
            finishedResult(validationAccuracy: 0.6),
        ]
        for outcome in outcomes { try claimAndRecord(store, sweepID: fixture.sweepID, outcome) }

        struct Row { var hash: String; var runs: Int; var finished: Int; var diverged: Int; var mean: Double?; var std: Double?
                     var test: Double?; var duration: Double? }
        let rows = try store.connection.query("""
            SELECT config_sha256, runs, finished_runs, diverged_runs, validation_accuracy_mean, validation_accuracy_std,
                   test_accuracy_mean, duration_seconds_mean
            FROM leaderboard WHERE sweep = 'iris-lr'
            """) { s in Row(hash: s.string(0)!, runs: s.int(1)!, finished: s.int(2)!, diverged: s.int(3)!, mean: s.double(4),
                            std: s.double(5), test: s.double(6), duration: s.double(7)) }
        #expect(rows.map(\.hash) == [b, a, d, c].map { sha256Hex($0.json) })
        func close(_ x: Double?, _ y: Double) -> Bool { x.map { abs($0 - y) < 1e-9 } ?? false }
        // B: 0.95, 0.85 -> mean 0.9, std sqrt(0.005) = 0.070710678...
        #expect(rows[0].runs == 2 && rows[0].finished == 2)
        #expect(close(rows[0].mean, 0.9))
        #expect(close(rows[0].std, 0.0707106781186548))
        // A: 0.9, 0.8, 0.7 -> mean 0.8, std 0.1; test mean 0.8; mean duration 4 s.
        #expect(rows[1].runs == 3)
        #expect(close(rows[1].mean, 0.8))
        #expect(close(rows[1].std, 0.1))
        #expect(close(rows[1].test, 0.8))
        #expect(close(rows[1].duration, 4))
        // D: one run -> no standard deviation.
        #expect(close(rows[2].mean, 0.6))
        #expect(rows[2].std == nil)
        // C: the diverged run is counted, not averaged in.
        #expect(rows[3].diverged == 1 && rows[3].finished == 1 && rows[3].runs == 2)
        #expect(close(rows[3].mean, 0.99))
        #expect(rows[3].std == nil)
    }

    @Test func paramsSortNumericallyByValueReal() throws {
        defer { scratch.cleanup() }
        let fixture = try prepare(store)
        let rates = [0.1, 0.01, 0.001, 10, 2, 0.5]
        try store.enqueue(sweepID: fixture.sweepID, datasetID: fixture.datasetID,
                          cells: cells(rates.map { Config(learningRate: $0, hidden: 8) }, seeds: [1], splitID: fixture.splitID))
        let numeric = try store.connection.query("""
            SELECT value_text FROM params WHERE name = 'learning_rate' ORDER BY value_real
            """) { $0.string(0)! }
        #expect(numeric == ["0.001", "0.01", "0.1", "0.5", "2.0", "10.0"])
        let asText = try store.connection.query("SELECT value_text FROM params WHERE name = 'learning_rate' ORDER BY value_text") { $0.string(0)! }
        #expect(asText != numeric)  // why value_real exists
        #expect(try store.connection.scalar("SELECT COUNT(*) FROM params WHERE name = 'activation' AND value_real IS NULL")?.int == 6)
    }

    @Test func splitsAreStoredOnceAndReadBack() throws {
        defer { scratch.cleanup() }
        let fixture = try prepare(store)
        let rows = SplitRows(train: Array(0..<8), validation: [8, 9], test: [10, 11])
        let again = try store.storeSplit(datasetID: fixture.datasetID, splitSeed: 7, protocolJSON: holdoutProtocol, fold: 0, rows: rows)
        #expect(again == fixture.splitID)
        #expect(try store.split(id: fixture.splitID) == rows)
        #expect(throws: TrackerError.notFound("split 999")) { try store.split(id: 999) }
    }

    @Test func shardsClaimOnlyTheirCells() throws {
        defer { scratch.cleanup() }
        let fixture = try prepare(store)
        try store.enqueue(sweepID: fixture.sweepID, datasetID: fixture.datasetID,
                          cells: cells((1...5).map { Config(learningRate: Double($0), hidden: 8) }, seeds: [1], splitID: fixture.splitID))
        var taken: [Int] = []
        while let claim = try store.claimNext(sweepID: fixture.sweepID, host: "h", pid: 1, shard: (index: 1, count: 2)) {
            taken.append(claim.cellIndex)
        }
        #expect(taken == [1, 3])
        #expect(try store.statusCounts(sweepID: fixture.sweepID) == [.queued: 3, .running: 2])
    }
}
