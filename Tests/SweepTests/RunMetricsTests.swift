import Datasets
import Foundation
import NeuralNet
import Testing
import TestSupport
@testable import Sweep
@testable import Tracker

/// Balanced accuracy, macro F1 and log loss stored per run; the grid's benchmark, stored on the
/// sweep without touching any configuration.
@Suite struct RunMetricsTests {
    @Test func everyRunStoresItsFinalModelsMetricsOnValidationAndTestRows() throws {
        let dir = temporaryDirectory()
        let db = dir.appendingPathComponent("runs.db").path
        let grid = try grid(gridText(name: "metrics", seeds: [1, 2],
                                     grid: #"{"hidden_layers": [[4]], "loss": ["mse", "cross_entropy"], "epochs": [6]}"#))
        let (_, summary) = try runSweep(grid, db: db, jobs: 2)
        #expect(summary.counts == [.finished: 4])
        let store = try RunStore(path: db)
        let dataset = try loadDataset(grid)
        let runs = try store.connection.query("""
            SELECT run_id, split_id, final_validation_accuracy, validation_balanced_accuracy, validation_macro_f1, validation_log_loss,
                   test_balanced_accuracy, test_macro_f1, test_log_loss FROM runs ORDER BY run_id
            """) { s in (s.int(0)!, Int64(s.int(1)!), (2...8).map { s.double($0) }) }
        #expect(runs.count == 4)
        for (runID, splitID, stored) in runs {
            let model = try Model(safetensors: try store.weights(runID: Int64(runID)))
            let rows = try store.split(id: splitID)
            func labeled(_ indices: [Int]) -> LabeledData {
                let subset = dataset.rows(indices)
                return LabeledData(features: Matrix(rows: indices.count, columns: dataset.featureCount, values: subset.features),
                                   labels: subset.labels)
            }
            let validation = model.metrics(labeled(rows.validation)), test = model.metrics(labeled(rows.test))
            #expect(stored == [validation.accuracy, validation.balancedAccuracy, validation.macroF1, validation.logLoss,
                               test.balancedAccuracy, test.macroF1, test.logLoss], "run \(runID)")
            #expect(stored.allSatisfy { $0 != nil })
        }
        // exp runs reads them by name, filters and sorts by them.
        let selected = try store.runSummaries(RunSelection(
            conditions: [.init(field: .column("validation_balanced_accuracy"), comparison: .greaterOrEqual, value: .real(0))],
            sort: [.init(field: .column("validation_log_loss"), descending: false)]))
        #expect(selected.count == 4)
        let losses = selected.map { $0.validationMetrics[.logLoss]! }
        #expect(losses == losses.sorted())
        #expect(selected.allSatisfy { $0.testMetrics[.macroF1] != nil })
        let detail = try #require(try store.runDetail(id: 1))
        #expect(detail.summary.contains { $0.name == "validation_macro_f1" && $0.value != .null })
    }

    static let benchmarkText = #""benchmark": {"test_accuracy": 0.961, "source": "the seed network: 49 of 51 test rows"}"#

    func withBenchmark(_ benchmark: String?, name: String = "bench") -> String {
        """
        {
          "name": "\(name)",
          "dataset": "data/iris.data",
          "seeds": [1],\(benchmark.map { "\n  " + $0 + "," } ?? "")
          "grid": {"hidden_layers": [[4]], "learning_rate": [0.1, 0.5], "epochs": [2]}
        }
        """
    }

    @Test func theBenchmarkIsParsedAndChangesNoConfigurationOrCell() throws {
        let with = try grid(withBenchmark(Self.benchmarkText)), without = try grid(withBenchmark(nil))
        #expect(with.benchmark == Benchmark(testAccuracy: 0.961, source: "the seed network: 49 of 51 test rows"))
        #expect(without.benchmark == nil)
        #expect(try with.configurations.map { try canonicalJSON($0) } == without.configurations.map { try canonicalJSON($0) })
    }

    @Test func aResumeWithAnotherBenchmarkUpdatesItAndNothingElse() throws {
        let dir = temporaryDirectory()
        let store = try RunStore(path: dir.appendingPathComponent("runs.db").path)
        let first = try grid(withBenchmark(Self.benchmarkText))
        let dataset = try loadDataset(first)
        let prepared = try SweepPlanner.prepare(grid: first, dataset: dataset, store: store, toolVersion: "test")
        #expect(try store.sweep(named: "bench")?.benchmark == first.benchmark)

        let changed = try grid(withBenchmark(#""benchmark": {"test_accuracy": 0.95, "source": "another paper"}"#))
        let resumed = try SweepPlanner.prepare(grid: changed, dataset: dataset, store: store, toolVersion: "test")
        #expect(resumed.sweepID == prepared.sweepID)
        #expect(resumed.newCells == 0)
        let stored = try #require(try store.sweep(named: "bench"))
        #expect(stored.benchmark == Benchmark(testAccuracy: 0.95, source: "another paper"))
        #expect(stored.grid == first.text)  // the text the sweep was created with

        _ = try SweepPlanner.prepare(grid: try grid(withBenchmark(nil)), dataset: dataset, store: store, toolVersion: "test")
        #expect(try store.sweep(named: "bench")?.benchmark == nil)

        let otherSeeds = try grid(withBenchmark(Self.benchmarkText).replacingOccurrences(of: "[1]", with: "[1, 2]"))
        // Another seed extends the sweep (docs/sweeps.md, "Extending a sweep") and sets the benchmark again.
        let extended = try SweepPlanner.prepare(grid: otherSeeds, dataset: dataset, store: store, toolVersion: "test")
        #expect(extended.newCells == 2)
        #expect(try store.sweep(named: "bench")?.benchmark == Benchmark(testAccuracy: 0.961, source: "the seed network: 49 of 51 test rows"))
    }

    @Test func aBadBenchmarkIsRefusedWithItsPath() {
        func problems(_ benchmark: String) -> [String] {
            do {
                _ = try grid(withBenchmark(benchmark))
                return []
            } catch let error as GridError {
                return error.problems.map(\.description)
            } catch {
                return ["\(error)"]
            }
        }
        #expect(problems(#""benchmark": {"test_accuracy": 96.1, "source": "x"}"#)
                == ["line 5, column 34: benchmark.test_accuracy: must be a fraction in [0, 1] (0.961 for 96.1%), found 96.1"])
        #expect(problems(#""benchmark": {"test_accuracy": 0.9, "source": " "}"#)
                == ["line 5, column 49: benchmark.source: must not be empty: say where the figure comes from"])
        #expect(problems(#""benchmark": {"test_accuracy": 0.9, "source": "x", "url": "y"}"#)
                == [#"line 5, column 54: benchmark.url: unknown key "url"; valid keys: test_accuracy, source"#])
        #expect(problems(#""benchmark": {"source": "x"}"#) == [#"line 5, column 16: benchmark: missing key "test_accuracy" (a fraction in [0, 1], e.g. 0.961)"#])
        #expect(problems(#""benchmark": {"test_accuracy": "0.9", "source": "x"}"#)
                == [#"line 5, column 34: benchmark.test_accuracy: expected a number, found the string "0.9""#])
        #expect(problems(#""benchmark": 0.961"#) == ["line 5, column 16: benchmark: expected an object, found the number 0.961"])
    }
}
