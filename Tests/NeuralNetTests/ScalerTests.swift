import Foundation
import Testing
@testable import NeuralNet

/// Standard and min-max scaling of columns that are constant, nearly constant, huge or tiny.
@Suite struct ScalerTests {
    /// `data` with column `column` multiplied by `factor`.
    func scaling(_ data: LabeledData, column: Int, by factor: Double) -> LabeledData {
        var scaled = data
        let p = data.features.columns
        for row in 0..<data.features.rows { scaled.features.values[row * p + column] *= factor }
        return scaled
    }

    @Test func nearConstantColumnGetsScaleOne() {
        // 14.62 in every row: the plain formula leaves a rounding residue of about 1.8e-15.
        let rows = 30
        let values = (0..<rows).flatMap { [Double($0), 14.62] }
        let scaler = FeatureScaler.fit(.standard, on: Matrix(rows: rows, columns: 2, values: values))
        #expect(scaler.scale[1] == 1)
        #expect(abs(scaler.shift[1] - 14.62) < 1e-12)
        #expect(scaler.scale[0] > 1)
        let minmax = FeatureScaler.fit(.minmax, on: Matrix(rows: rows, columns: 2, values: values))
        #expect(minmax.scale[1] == 1)
    }

    @Test func smallButRealSpreadIsKept() {
        // Relative spread 1e-9: a real measurement, not rounding.
        let values = [1.0, 1.0 + 2e-9, 1.0, 1.0 + 2e-9]
        let scaler = FeatureScaler.fit(.standard, on: Matrix(rows: 4, columns: 1, values: values))
        #expect(abs(scaler.scale[0] - 1e-9) < 1e-15)
    }

    @Test(arguments: [1e200, 1e300, 1e-300, 1e-200])
    func hugeAndTinyColumnsKeepTheirTrueStandardDeviation(factor: Double) {
        let base = [1.4, 1.4, 1.3, 1.5, 1.4, 4.7, 4.5, 4.9, 6.0, 5.1]
        let n = Double(base.count)
        let mean = base.reduce(0, +) / n
        let sd = (base.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / n).squareRoot()
        let scaler = FeatureScaler.fit(.standard, on: Matrix(rows: base.count, columns: 1, values: base.map { $0 * factor }))
        #expect(abs(scaler.scale[0] / (sd * factor) - 1) < 1e-9)
        #expect(abs(scaler.shift[0] / (mean * factor) - 1) < 1e-9)
        let scaled = scaler.transform(Matrix(rows: 1, columns: 1, values: [6.0 * factor]))
        #expect(abs(scaled.values[0] - (6.0 - mean) / sd) < 1e-9)
    }

    @Test func powersOfTwoScaleShiftAndScaleExactly() {
        let data = threeClassData()
        let reference = FeatureScaler.fit(.standard, on: data.features)
        for k in stride(from: -1000, through: 1000, by: 50) {
            let factor = Double(sign: .plus, exponent: k, significand: 1)
            let scaler = FeatureScaler.fit(.standard, on: scaling(data, column: 2, by: factor).features)
            #expect(scaler.shift[2] == reference.shift[2] * factor, "2^\(k)")
            #expect(scaler.scale[2] == reference.scale[2] * factor, "2^\(k)")
            #expect(scaler.scale[0] == reference.scale[0])
        }
    }

    /// Standardisation is scale-invariant: a column multiplied by 2^k trains bit-identical
    /// models, and by 10^k, k in -300...300, the same accuracy and confusion matrix.
    @Test func trainingIsInvariantToTheScaleOfAColumn() throws {
        let data = threeClassData()
        let test = threeClassData(seed: 8)
        let hp = hyperparameters { $0.epochs = 10; $0.hiddenLayers = [5]; $0.learningRate = 0.1; $0.batchSize = 8 }
        func run(_ factor: Double) throws -> (model: Model, accuracy: Double, confusion: [[Int]]) {
            let model = try train(hp, on: scaling(data, column: 2, by: factor), validation: nil,
                                  classNames: threeClassNames, featureNames: fourFeatureNames, seed: 3).model
            let scoring = scaling(test, column: 2, by: factor)
            return (model, model.evaluate(scoring), model.confusionMatrix(scoring))
        }
        let reference = try run(1)
        #expect(reference.accuracy > 0.5)
        for k in stride(from: -1000, through: 1000, by: 100) {
            let factor = Double(sign: .plus, exponent: k, significand: 1)
            let scaled = try run(factor)
            #expect(scaled.model.weights == reference.model.weights, "2^\(k)")
            #expect(scaled.model.biases == reference.model.biases, "2^\(k)")
            let rows = scaling(test, column: 2, by: factor).features
            #expect(scaled.model.probabilities(rows) == reference.model.probabilities(test.features), "2^\(k)")
        }
        for k in -300...300 {
            let scaled = try run(Foundation.pow(10, Double(k)))
            #expect(scaled.accuracy == reference.accuracy, "10^\(k)")
            #expect(scaled.confusion == reference.confusion, "10^\(k)")
        }
    }
}
