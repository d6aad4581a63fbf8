import Determinism
import Foundation
import Testing
import TestSupport
@testable import Tracker

/// The typed queries the command line and the report call instead of writing SQL.
@Suite struct QueryTests {
    /// Two sweeps over one data set: "iris-lr" with finished, failed, diverged and queued runs,
    /// "other" with one queued run.
    private func store(_ scratch: Scratch) throws -> (RunStore, PreparedFixture) {
        let store = try RunStore(path: scratch.path("runs.db"))
        let fixture = try prepare(store)
        try store.enqueue(sweepID: fixture.sweepID, datasetID: fixture.datasetID,
                          cells: cells([Config(learningRate: 0.1, hidden: 8), Config(learningRate: 5, hidden: 8)],
                                       seeds: [1, 2, 3], splitID: fixture.splitID))
        try claimAndRecord(store, sweepID: fixture.sweepID, finishedResult(validationAccuracy: 0.75, testAccuracy: 0.5))
        try claimAndRecord(store, sweepID: fixture.sweepID, finishedResult(validationAccuracy: 0.5))
        for _ in 0..<2 {
            var failed = RunResult(status: .failed, startedAt: Date(), endedAt: Date())
            failed.error = "out of memory"
            try claimAndRecord(store, sweepID: fixture.sweepID, failed)
        }
        try claimAndRecord(store, sweepID: fixture.sweepID, divergedResult())
        let other = try prepare(store, sweep: "other")
        try store.enqueue(sweepID: other.sweepID, datasetID: other.datasetID,
                          cells: cells([Config(learningRate: 0.1, hidden: 8)], seeds: [1], splitID: other.splitID))
        return (store, fixture)
    }

    @Test func runSummariesFilterBySweepAndStatus() throws {
        let scratch = try Scratch()
        defer { scratch.cleanup() }
        let (store, _) = try store(scratch)
        #expect(try store.runSummaries().count == 7)
        #expect(try store.runSummaries(sweep: "other").map(\.runID) == [7])
        let failed = try store.runSummaries(sweep: "iris-lr", status: .failed)
        #expect(failed.map(\.runID) == [3, 4])
        #expect(try store.runSummaries(status: .queued).map(\.runID) == [6, 7])
        let first = try #require(try store.runSummaries(status: .finished).first)
        #expect(first.validationAccuracy == 0.75)
        #expect(first.testAccuracy == 0.5)
        #expect(first.durationSeconds == 2)
        #expect(first.config == Config(learningRate: 0.1, hidden: 8).json)
    }

    @Test func runSelectionsCompareSortAndLimitWithMissingValuesLast() throws {
        let scratch = try Scratch()
        defer { scratch.cleanup() }
        let (store, _) = try store(scratch)
        let accuracy = RunSelection.Field.column("validation_accuracy")
        func ids(_ selection: RunSelection) throws -> [Int64] { try store.runSummaries(selection).map(\.runID) }
        #expect(try ids(RunSelection(conditions: [.init(field: accuracy, comparison: .greater, value: .real(0.6))])) == [1])
        #expect(try ids(RunSelection(conditions: [.init(field: accuracy, comparison: .lessOrEqual, value: .real(0.75))])) == [1, 2])
        // Missing metrics match != only.
        #expect(try ids(RunSelection(conditions: [.init(field: accuracy, comparison: .notEqual, value: .real(0.75))])) == [2, 3, 4, 5, 6, 7])
        // Missing values last in both directions; the run id breaks ties.
        #expect(try ids(RunSelection(sort: [.init(field: accuracy, descending: true)])) == [1, 2, 3, 4, 5, 6, 7])
        #expect(try ids(RunSelection(sort: [.init(field: accuracy, descending: false)])) == [2, 1, 3, 4, 5, 6, 7])
        #expect(try ids(RunSelection(sort: [.init(field: accuracy, descending: false)], limit: 1)) == [2])
        // Configuration keys, with the fallback for a key a configuration leaves out.
        let rate = RunSelection.Field.configuration(key: "learning_rate", fallback: .null)
        #expect(try ids(RunSelection(sweep: "iris-lr", conditions: [.init(field: rate, comparison: .greater, value: .real(1))])) == [4, 5, 6])
        let absent = RunSelection.Field.configuration(key: "not_stored", fallback: .integer(3))
        #expect(try ids(RunSelection(sweep: "other", conditions: [.init(field: absent, comparison: .equal, value: .integer(3))])) == [7])
        #expect(throws: SQLiteError.self) { try store.runSummaries(RunSelection(sort: [.init(field: .column("config; DROP"), descending: false)])) }
        #expect(throws: SQLiteError.self) { try store.runSummaries(RunSelection(sort: [.init(field: .configuration(key: "a') --", fallback: .null), descending: false)])) }
    }

    @Test func oneRunsDetailStatusAndTheLatestRunOfASweep() throws {
        let scratch = try Scratch()
        defer { scratch.cleanup() }
        let (store, fixture) = try store(scratch)
        let detail = try #require(try store.runDetail(id: 1))
        #expect(detail.curve.map(\.epoch) == [1, 2, 3, 4, 5])
        #expect(detail.curve.last?.validationAccuracy == 0.75)
        #expect(detail.summary.first?.name == "run_id")
        #expect(detail.summary.first { $0.name == "status" }?.value == .text("finished"))
        #expect(try store.runDetail(id: 99) == nil)
        #expect(try store.runStatus(id: 5) == .diverged)
        #expect(try store.runStatus(id: 99) == nil)
        let latest = try #require(try store.latestRun(sweepID: fixture.sweepID))
        #expect(latest.runID == 6)
        #expect(latest.status == .queued)
        #expect(try store.failures(sweepID: fixture.sweepID) == [FailureCount(error: "out of memory", count: 2)])
    }

    @Test func datasetUsageCountsSweepsAndRuns() throws {
        let scratch = try Scratch()
        defer { scratch.cleanup() }
        let (store, fixture) = try store(scratch)
        let usage = try store.datasetUsage()
        #expect(usage.count == 1)
        #expect(usage.first?.sweeps == 2)
        #expect(usage.first?.runs == 7)
        #expect(usage.first?.dataset.name == "iris")
        #expect(try store.sweeps(datasetID: fixture.datasetID) == [SweepUsage(name: "iris-lr", runs: 6), SweepUsage(name: "other", runs: 1)])
    }

    @Test func theIntegrityReportCountsRowsAndStatuses() throws {
        let scratch = try Scratch()
        defer { scratch.cleanup() }
        let (store, _) = try store(scratch)
        let report = try store.integrityReport()
        #expect(report.isSound)
        #expect(report.schemaVersion == Migrations.latestVersion)
        #expect(report.tableRows.map(\.table) == RunStore.tables)
        #expect(report.tableRows.first { $0.table == "runs" }?.rows == 7)
        #expect(report.statusCounts.map(\.status) == ["diverged", "failed", "finished", "queued"])
        #expect(report.statusCounts.map(\.runs) == [1, 2, 2, 2])
        try store.connection.execute("PRAGMA foreign_keys = OFF")
        try store.connection.run("DELETE FROM runs WHERE run_id = 1")
        #expect(try store.integrityReport().foreignKeyViolations > 0)
        #expect(try !store.integrityReport().isSound)
    }

    @Test func theReportQueriesAggregatePerConfiguration() throws {
        let scratch = try Scratch()
        defer { scratch.cleanup() }
        let (store, fixture) = try store(scratch)
        let overview = try #require(try store.sweepOverview(named: "iris-lr"))
        #expect(overview.sweepID == fixture.sweepID)
        #expect(overview.datasetName == "iris")
        #expect(overview.classNames == ["setosa", "versicolor", "virginica"])
        #expect(overview.testRowCounts == [2])
        #expect(try store.sweepOverview(named: "none") == nil)
        let params = try store.configurationParams(sweepID: fixture.sweepID)
        #expect(params.count == 10)
        #expect(params.contains { $0.name == "learning_rate" && $0.text == "5.0" && $0.number == 5 })
        let hash = sha256Hex(Config(learningRate: 0.1, hidden: 8).json)
        let runs = try store.curveRuns(sweepID: fixture.sweepID, configurations: [hash])
        #expect(runs.map(\.epochs) == [5, 5] && runs.map(\.attempt) == [1, 1])
        let curve = try store.learningCurves(sweepID: fixture.sweepID, configurations: [hash], step: RunStore.curveStep(longest: 5, maxPoints: 2))
        #expect(curve.map(\.epoch) == [1, 4, 5])
        #expect(curve.last?.runs == 2)
        #expect(curve.last?.validationAccuracy == MetricBand(mean: 0.625, min: 0.5, max: 0.75))
        let counts = try store.accuracyCounts(sweepID: fixture.sweepID).filter { $0.name == "learning_rate" }
        #expect(counts.map(\.accuracy).sorted() == [0.5, 0.75])
        #expect(try store.testConfusions(sweepID: fixture.sweepID, configSHA256: hash).count == 2)
    }

    /// The accuracy counts group runs per configuration before joining their hyperparameters;
    /// over random sweeps they must equal every finished run counted with its own `params`.
    @Test(arguments: 1...5) func accuracyCountsEqualEveryRunCountedOneByOne(seed: Int) throws {
        let scratch = try Scratch()
        defer { scratch.cleanup() }
        let store = try RunStore(path: scratch.path("runs.db"))
        let fixture = try prepare(store)
        var random = SplitMix64(seed: UInt64(seed))
        let configs = (0..<Int.random(in: 2...5, using: &random)).map {
            Config(learningRate: [0.1, 0.5, 1][$0 % 3], hidden: 4 + $0 / 3, activation: ["relu", "tanh"][$0 % 2])
        }
        try store.enqueue(sweepID: fixture.sweepID, datasetID: fixture.datasetID,
                          cells: cells(configs, seeds: Array(1...Int.random(in: 1...8, using: &random)), splitID: fixture.splitID))
        let runs = Int(try #require(try store.connection.scalar("SELECT COUNT(*) FROM runs")?.int))
        for _ in 0..<runs {
            if Int.random(in: 0..<5, using: &random) == 0 {
                try claimAndRecord(store, sweepID: fixture.sweepID, divergedResult())
            } else {
                try claimAndRecord(store, sweepID: fixture.sweepID,
                                   finishedResult(validationAccuracy: [0.5, 2.0 / 3, 0.75, 0.9, 1][Int.random(in: 0..<5, using: &random)]))
            }
        }
        var expected: [String: Int] = [:]
        let params = try store.connection.query("SELECT run_id, name, value_text, value_real FROM params") { s in
            (try s.required(s.id, "run_id"), try s.required(s.string, "name"), try s.required(s.string, "value_text"),
             try s.double("value_real"))
        }
        for run in try store.runSummaries(sweep: "iris-lr", status: .finished) {
            let accuracy = ((try #require(run.validationAccuracy)) * 1000).rounded() / 1000
            for (_, name, text, number) in params.filter({ $0.0 == run.runID }) {
                expected["\(name)=\(text) (\(number.map { String($0) } ?? "text"))@\(accuracy)", default: 0] += 1
            }
        }
        let counts = try store.accuracyCounts(sweepID: fixture.sweepID)
        #expect(Dictionary(uniqueKeysWithValues: counts.map {
            ("\($0.name)=\($0.text) (\($0.number.map { String($0) } ?? "text"))@\($0.accuracy)", $0.runs)
        }) == expected)
        #expect(counts.map { [$0.name, $0.text, String($0.accuracy)] }
                == counts.map { [$0.name, $0.text, String($0.accuracy)] }.sorted { $0.lexicographicallyPrecedes($1) },
                "ordered by name, value and accuracy")
    }
}
