import Foundation
import Testing
@testable import NeuralNet

@Test func oneFeatureTwoClassesSplitAtTheMidpointOfTheMeans() throws {
    // Means 1 and 5, pooled variance ((1 + 0 + 1) · 2) / (6 − 2) = 1: δ1 − δ0 = 4x − 12.
    let data = LabeledData(features: Matrix(rows: 6, columns: 1, values: [0, 1, 2, 4, 5, 6]), labels: [0, 0, 0, 1, 1, 1])
    let lda = try LinearDiscriminant(fitting: data, classes: 2)
    let ridge = 1 + 1e-6
    #expect(abs(lda.coefficients.values[0] - 1 / ridge) < 1e-12 && abs(lda.coefficients.values[1] - 5 / ridge) < 1e-12)
    #expect(abs(lda.intercepts[1] - (-12.5 / ridge + log(0.5))) < 1e-12)
    let probe = Matrix(rows: 3, columns: 1, values: [2.9, 3.0, 3.1])
    let d = lda.discriminants(probe)
    #expect(d[0, 0] > d[0, 1] && abs(d[1, 0] - d[1, 1]) < 1e-9 && d[2, 1] > d[2, 0])
    let p = lda.probabilities(probe)
    #expect(abs(p[1, 0] - 0.5) < 1e-9 && abs(p[0, 0] + p[0, 1] - 1) < 1e-15)
}

@Test func separableBlobsAreClassifiedAndAConstantFeatureIsNoError() throws {
    var data = blobs(classes: 3, features: 3, perClass: 30, spread: 0.2, seed: 5)
    // A fourth feature constant in every row makes Σ singular without the ridge.
    data.features = Matrix(rows: data.features.rows, columns: 4,
                           values: (0..<data.features.rows).flatMap { data.features.row($0) + [7] })
    let lda = try LinearDiscriminant(fitting: data, classes: 3)
    let p = lda.probabilities(data.features)
    let predicted = (0..<p.rows).map { r in (0..<3).max { p[r, $0] < p[r, $1] }! }
    #expect(predicted == data.labels)
}

@Test func emptyClassesAndTooFewRowsAreRefused() {
    let data = LabeledData(features: Matrix(rows: 4, columns: 1, values: [0, 1, 2, 3]), labels: [0, 0, 2, 2])
    #expect(throws: TrainingError.invalidData("class 1 has no training row")) { try LinearDiscriminant(fitting: data, classes: 3) }
    let tiny = LabeledData(features: Matrix(rows: 2, columns: 1, values: [0, 1]), labels: [0, 1])
    #expect(throws: TrainingError.self) { try LinearDiscriminant(fitting: tiny, classes: 2) }
}
