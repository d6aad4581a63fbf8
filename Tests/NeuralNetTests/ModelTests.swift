import Foundation
import Testing
@testable import NeuralNet

@Suite struct ModelTests {
    @Test func matrixIsRowMajor() {
        var m = Matrix(rows: 2, columns: 3, values: [1, 2, 3, 4, 5, 6])
        #expect(m[1, 0] == 4 && m[0, 2] == 3)
        m[1, 2] = 9
        #expect(m.values == [1, 2, 3, 4, 5, 9])
        #expect(m.row(1) == [4, 5, 9])
        #expect(Matrix(rows: 2, columns: 2, repeating: 7).values == [7, 7, 7, 7])
    }

    @Test func scalerFitsTrainingColumnsAndNeverDividesByZero() {
        let x = Matrix(rows: 4, columns: 3, values: [1, 5, 2,
                                                     3, 5, 4,
                                                     5, 5, 6,
                                                     7, 5, 8])
        let standard = FeatureScaler.fit(.standard, on: x)
        #expect(standard.shift == [4, 5, 5])
        #expect(standard.scale[0] == 5.0.squareRoot())   // population std of 1,3,5,7
        #expect(standard.scale[1] == 1)                  // constant column
        let minmax = FeatureScaler.fit(.minmax, on: x)
        #expect(minmax.shift == [1, 5, 2] && minmax.scale == [6, 1, 6])
        let none = FeatureScaler.fit(.none, on: x)
        #expect(none.shift == [0, 0, 0] && none.scale == [1, 1, 1])
        let scaled = minmax.transform(x)
        #expect(scaled.row(3) == [1, 0, 1] && scaled.row(0) == [0, 0, 0])
        #expect(standard.transform(x).values.allSatisfy { $0.isFinite })
    }

    @Test func hiddenLayerlessModelMatchesHandComputation() {
        // One layer, softmax: z = W x + b with identity scaling.
        let model = Model(layerSizes: [2, 3], activation: .sigmoid, loss: .crossEntropy,
                          weights: [Matrix(rows: 3, columns: 2, values: [1, 0, 0, 1, 1, 1])],
                          biases: [[0, 0, -10]], scaler: .identity(features: 2),
                          classNames: ["x", "y", "z"], featureNames: ["a", "b"])
        let x = Matrix(rows: 2, columns: 2, values: [2, 1, 0, 0])
        let p = model.probabilities(x)
        #expect(p.row(0) == referenceSoftmax([2, 1, -7]))
        #expect(p.row(1) == referenceSoftmax([0, 0, -10]))
        #expect(model.predict(x) == [0, 0])   // second row ties between 0 and 1 -> lowest index
        #expect(model.evaluate(LabeledData(features: x, labels: [0, 1])) == 0.5)
    }

    @Test func mseProbabilitiesAreNormalisedSigmoidsEvenWhenTheyUnderflow() {
        let model = Model(layerSizes: [1, 2], activation: .relu, loss: .mse,
                          weights: [Matrix(rows: 2, columns: 1, values: [1, 2])], biases: [[0, 0]],
                          scaler: .identity(features: 1), classNames: ["a", "b"], featureNames: [])
        let p = model.probabilities(Matrix(rows: 2, columns: 1, values: [0.5, -1000]))
        let s0 = Activation.logistic(0.5), s1 = Activation.logistic(1)
        #expect(p.row(0) == [s0 / (s0 + s1), s1 / (s0 + s1)])
        // sigmoid(-1000) and sigmoid(-2000) are both 0: the softmax limit is used.
        #expect(p.row(1) == referenceSoftmax([-1000, -2000]))
        #expect(p.values.allSatisfy { $0.isFinite })
        #expect(model.predict(Matrix(rows: 1, columns: 1, values: [-1000])) == [0])
    }

    @Test func predictionsUseTheStoredScaler() throws {
        let data = threeClassData()
        let hp = hyperparameters { $0.epochs = 100; $0.hiddenLayers = [6]; $0.loss = .crossEntropy; $0.scaling = .standard }
        let model = try train(hp, on: data, validation: nil, classNames: threeClassNames, featureNames: fourFeatureNames, seed: 2).model
        #expect(model.scaler == FeatureScaler.fit(.standard, on: data.features))
        #expect(model.featureNames == fourFeatureNames && model.classNames == threeClassNames)
        var unscaled = model
        unscaled.scaler = .identity(features: 4)
        #expect(model.probabilities(data.features) != unscaled.probabilities(data.features))
        #expect(model.evaluate(data) >= 0.9)
    }
}
