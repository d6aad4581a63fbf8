import Datasets
import Foundation
import NeuralNet
import Testing
import TestSupport
import Tracker
@testable import Sweep

/// Field case d16: Iris with petal length multiplied by 1e200. Standardisation is
/// scale-invariant, so a sweep on it gives exactly the accuracies of the same grid on Iris.
@Suite struct ScaleInvarianceTests {
    let gridObject = #"{"hidden_layers": [[5]], "epochs": [200], "learning_rate": [0.5, 0.2]}"#

    func sweep(_ dataset: String) throws -> (store: RunStore, runs: [RunSummary]) {
        let text = #"{"name": "s", "dataset": "\#(dataset)", "seeds": [1, 2], "grid": \#(gridObject)}"#
        let db = temporaryDirectory().appendingPathComponent("runs.db").path
        try runSweep(try grid(text), db: db, jobs: 1)
        let store = try RunStore(path: db)
        return (store, try store.runSummaries().sorted { $0.runID < $1.runID })
    }

    @Test func d16HugeColumnGivesIrisAccuracies() throws {
        let iris = try sweep("data/iris.data")
        let huge = try sweep("cases/data/d16_feature_scaled_1e200.data")
        #expect(iris.runs.count == 4)
        #expect(huge.runs.map(\.status) == Array(repeating: .finished, count: 4))
        #expect(huge.runs.map(\.validationAccuracy) == iris.runs.map(\.validationAccuracy))
        #expect(huge.runs.map(\.testAccuracy) == iris.runs.map(\.testAccuracy))
        #expect(huge.runs.allSatisfy { ($0.testAccuracy ?? 0) > 0.8 }, "\(huge.runs.map(\.testAccuracy))")

        // The stored scale of petal length is its true standard deviation over the training rows.
        let dataset = try DataFile.read(fixture("cases/data/d16_feature_scaled_1e200.data"))
        let evaluation = EvaluationProtocol(testFraction: 0.2, validationFraction: 0.2, folds: nil, splitSeed: 0)
        let folds = try SweepPlanner.splits(for: evaluation, dataset: dataset)
        let train: [Int] = try #require(folds.first).rows.train
        let column: [Double] = train.map { dataset.features[$0 * dataset.featureCount + 2] / 1e200 }
        let n = Double(column.count)
        let mean = column.reduce(0, +) / n
        let squares: Double = column.map { ($0 - mean) * ($0 - mean) }.reduce(0, +)
        let sd = (squares / n).squareRoot() * 1e200
        let model = try Model(safetensors: try huge.store.weights(runID: huge.runs[0].runID))
        #expect(abs(model.scaler.scale[2] / sd - 1) < 1e-9)
        #expect(model.scaler.scale[2] > 1e200)
    }
}
