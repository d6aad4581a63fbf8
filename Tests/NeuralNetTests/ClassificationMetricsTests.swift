import Testing
@testable import NeuralNet

/// Accuracy, precision and recall of a confusion matrix, and labels mapped to a model's classes.
@Suite struct ClassificationMetricsTests {
    @Test func precisionAndRecallFollowTheirDefinitions() {
        // rows: true class, columns: predicted
        let metrics = ClassificationMetrics(confusion: [[5, 1, 0],
                                                        [2, 3, 0],
                                                        [0, 0, 0]])
        #expect(metrics.correct == 8)
        #expect(metrics.total == 11)
        #expect(metrics.accuracy == 8.0 / 11.0)
        #expect(metrics.classes[0] == .init(precision: 5.0 / 7.0, recall: 5.0 / 6.0, rows: 6))
        #expect(metrics.classes[1] == .init(precision: 3.0 / 4.0, recall: 3.0 / 5.0, rows: 5))
        // Never predicted and no rows: neither figure exists.
        #expect(metrics.classes[2] == .init(precision: nil, recall: nil, rows: 0))
    }

    @Test func anEmptyMatrixHasNoAccuracy() {
        let metrics = ClassificationMetrics(confusion: [[0, 0], [0, 0]])
        #expect(metrics.accuracy == nil)
        #expect(metrics.classes.allSatisfy { $0.precision == nil && $0.recall == nil })
    }

    @Test func labelsMapToClassIndicesAndUnknownOnesAreNamed() throws {
        let model = Model(layerSizes: [2, 3], activation: .sigmoid, loss: .crossEntropy,
                          weights: [Matrix(rows: 3, columns: 2, values: [1, 0, 0, 1, 1, 1])],
                          biases: [[0, 0, 0]], scaler: .identity(features: 2),
                          classNames: ["a", "b", "c"], featureNames: ["x1", "x2"])
        #expect(try model.classIndices(ofLabels: ["c", "a", "a", "b"]) == [2, 0, 0, 1])
        #expect(throws: UnknownLabelsError(labels: ["a.", "z"], classes: ["a", "b", "c"])) {
            try model.classIndices(ofLabels: ["a", "z", "a.", "z"])
        }
        #expect(UnknownLabelsError(labels: ["z"], classes: ["a", "b"]).description
                == "labels the model never saw: 'z'; the model's classes are 'a', 'b'")
    }
}
