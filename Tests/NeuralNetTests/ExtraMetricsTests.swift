import Foundation
import Testing
import TestSupport
@testable import NeuralNet

/// One set of predictions: true classes, predicted classes and predicted probabilities.
struct PredictionCase: Encodable {
    var classes: Int
    var labels: [Int]
    var predictions: [Int]
    var probabilities: [[Double]]

    var confusion: [[Int]] {
        var counts = Array(repeating: Array(repeating: 0, count: classes), count: classes)
        for (truth, guess) in zip(labels, predictions) { counts[truth][guess] += 1 }
        return counts
    }

    var metrics: ClassificationMetrics {
        ClassificationMetrics(confusion: confusion, logLoss: ClassificationMetrics.logLoss(
            probabilities: Matrix(rows: labels.count, columns: classes, values: probabilities.flatMap { $0 }), labels: labels))
    }
}

/// True when `python3 -c "import sklearn"` succeeds on this machine.
let pythonWithScikitLearn: Bool = {
    guard let python3 = which("python3"),
          let result = try? runProgram(URL(fileURLWithPath: python3), ["-c", "import sklearn"]) else { return false }
    return result.status == 0
}()

/// Balanced accuracy, macro F1 and log loss: by hand, at their edge cases, and against
/// scikit-learn on the same predictions.
@Suite struct ExtraMetricsTests {
    /// Confusion `[[5, 1, 0], [2, 3, 0], [0, 0, 0]]`: class 2 neither among the rows nor predicted.
    static let absentClass = PredictionCase(
        classes: 3, labels: [0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 1], predictions: [0, 0, 0, 0, 0, 1, 0, 0, 1, 1, 1],
        probabilities: [0, 0, 0, 0, 0, 1, 0, 0, 1, 1, 1].map { $0 == 0 ? [0.6, 0.3, 0.1] : [0.25, 0.7, 0.05] })
    /// Every row of class 0; class 1 only predicted.
    static let predictedOnly = PredictionCase(classes: 2, labels: [0, 0, 0], predictions: [0, 0, 1],
                                              probabilities: [[0.9, 0.1], [0.8, 0.2], [0.4, 0.6]])
    static let oneRow = PredictionCase(classes: 3, labels: [1], predictions: [1], probabilities: [[0.2, 0.5, 0.3]])
    /// The first row gives its true class probability 0.
    static let certainAndWrong = PredictionCase(classes: 3, labels: [0, 1], predictions: [1, 1],
                                                probabilities: [[0, 1, 0], [0, 1, 0]])

    @Test func anAbsentClassIsLeftOutOfBothMeans() {
        let m = Self.absentClass.metrics
        // recalls 5/6 and 3/5; F1 2·5/(2·5 + 2 + 1) and 2·3/(2·3 + 1 + 2)
        #expect(abs(m.balancedAccuracy! - (5.0 / 6 + 3.0 / 5) / 2) < 1e-15)
        #expect(abs(m.macroF1! - 28.0 / 39) < 1e-15)
        #expect(abs(m.logLoss! - -(5 * log(0.6) + log(0.25) + 2 * log(0.3) + 3 * log(0.7)) / 11) < 1e-15)
        // scikit-learn 1.9.1 on the same predictions: 0.7166666666666667, 0.717948717948718
        #expect(abs(m.balancedAccuracy! - 0.7166666666666667) < 1e-15)
        #expect(abs(m.macroF1! - 0.717948717948718) < 1e-15)
    }

    @Test func aClassOnlyPredictedScoresZeroF1AndHasNoRecall() {
        let m = Self.predictedOnly.metrics
        #expect(m.balancedAccuracy == 2.0 / 3)
        #expect(abs(m.macroF1! - 0.4) < 1e-15)  // (2·2/(2·2 + 0 + 1) + 0) / 2
        #expect(abs(m.logLoss! - -(log(0.9) + log(0.8) + log(0.4)) / 3) < 1e-15)
    }

    @Test func oneRowGivesItsOwnFigures() {
        let m = Self.oneRow.metrics
        #expect(m.accuracy == 1)
        #expect(m.balancedAccuracy == 1)
        #expect(m.macroF1 == 1)
        #expect(m.logLoss == -log(0.5))
    }

    @Test func probabilityZeroForTheTrueClassIsClippedToEpsilon() {
        let m = Self.certainAndWrong.metrics
        #expect(m.balancedAccuracy == 0.5)
        #expect(abs(m.macroF1! - 1.0 / 3) < 1e-15)
        let expected = (-log(Double.ulpOfOne) - log(1 - Double.ulpOfOne)) / 2
        #expect(m.logLoss == expected)
        #expect(abs(m.logLoss! - 18.021826694558577) < 1e-12)  // −ln(2.220446049250313e-16) / 2
        #expect(m.logLoss!.isFinite)
    }

    @Test func noRowsHaveNoFigures() {
        let m = ClassificationMetrics(confusion: [[0, 0], [0, 0]],
                                      logLoss: ClassificationMetrics.logLoss(probabilities: Matrix(rows: 0, columns: 2, values: []), labels: []))
        #expect(m.balancedAccuracy == nil)
        #expect(m.macroF1 == nil)
        #expect(m.logLoss == nil)
    }

    @Test func aModelsMetricsAgreeWithItsAccuracyAndLoss() throws {
        let data = threeClassData()
        let model = try briefModel()
        let m = model.metrics(data)
        #expect(m.accuracy == model.evaluate(data))
        #expect(m.total == data.labels.count)
        // With softmax outputs and cross-entropy cost, the loss training reports is the log loss.
        #expect(abs(m.logLoss! - model.loss(data)) < 1e-12)
    }

    @Test(.enabled(if: pythonWithScikitLearn, "python3 with scikit-learn is not available (pip install scikit-learn); the fixed values above still check the formulas"))
    func scikitLearnComputesTheSameFigures() throws {
        let data = threeClassData()
        let model = try briefModel()
        let p = model.probabilities(data.features)
        let trained = PredictionCase(classes: 3, labels: data.labels, predictions: model.predict(data.features),
                                     probabilities: (0..<p.rows).map { p.row($0) })
        let cases = [Self.absentClass, Self.predictedOnly, Self.oneRow, Self.certainAndWrong, trained]
        let folder = try Scratch()
        defer { folder.cleanup() }
        let input = folder.url.appendingPathComponent("cases.json")
        try JSONEncoder().encode(cases).write(to: input)
        let script = repositoryRoot.appendingPathComponent("Tests/python/sklearn_metrics.py")
        let result = try runProgram(URL(fileURLWithPath: try #require(which("python3"))), [script.path, input.path])
        #expect(result.status == 0, "\(result.stderr)")
        let expected = try JSONDecoder().decode([[String: Double]].self, from: Data(result.stdout.utf8))
        #expect(expected.count == cases.count)
        for (c, figures) in zip(cases, expected) {
            let m = c.metrics
            #expect(abs(m.balancedAccuracy! - figures["balanced_accuracy"]!) < 1e-12, "\(c.labels.count) rows")
            #expect(abs(m.macroF1! - figures["macro_f1"]!) < 1e-12, "\(c.labels.count) rows")
            #expect(abs(m.logLoss! - figures["log_loss"]!) < 1e-12, "\(c.labels.count) rows")
        }
        #expect(abs(trained.metrics.logLoss! - model.metrics(data).logLoss!) == 0)
    }

    /// A softmax network trained for a few epochs: right on most rows, not all.
    func briefModel() throws -> Model {
        let hp = hyperparameters { $0.hiddenLayers = [4]; $0.loss = .crossEntropy; $0.epochs = 3; $0.learningRate = 0.05 }
        return try train(hp, on: threeClassData(), validation: nil, classNames: threeClassNames, featureNames: fourFeatureNames, seed: 3).model
    }
}
