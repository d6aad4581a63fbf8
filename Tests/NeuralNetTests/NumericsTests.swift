import Determinism
import Foundation
import Testing
@testable import NeuralNet

/// Rows of the field cases `numerics/n01_softmax_ce_cases.csv` (logits of 3 classes; target
/// index; expected stable softmax; expected −log softmax[target]).
let softmaxCrossEntropyCases: [(logits: [Double], target: Int, softmax: [Double], crossEntropy: Double)] = [
    ([1, -10, 1000], 2, [0, 0, 1], 0),
    ([1, -10, 1000], 0, [0, 0, 1], 999),
    ([1000, 1000, 1000], 1, [0.3333333333333333, 0.3333333333333333, 0.3333333333333333], 1.0986122886681098),
    ([-1000, 0, 1000], 0, [0, 0, 1], 2000),
    ([800, 0, -800], 2, [1, 0, 0], 1600),
    ([0, 0, 0], 0, [0.3333333333333333, 0.3333333333333333, 0.3333333333333333], 1.0986122886681098),
]

/// Rows of the field cases `numerics/n02_sigmoid_bce_cases.csv` (logit z, label y, expected
/// binary cross-entropy `−ln p`, where `p` is the probability the sigmoid gives label `y`).
let binaryCrossEntropyCases: [(z: Double, y: Double, bce: Double)] = [
    (40, 0, 40.0),
    (40, 1, 4.248354255291589e-18),
    (-40, 1, 40.0),
    (800, 0, 800.0),
    (-800, 0, 0.0),
    (0, 1, 0.6931471805599453),
]

/// A network with no hidden layer, zero weights and `logits` as output biases after a forward
/// pass of one zero row: its output weighted input `z^L` is exactly `logits`, so its outputs
/// and ``Network/lossSum(labels:rows:)`` are the code training runs.
func outputLayer(logits: [Double], loss: LossFunction) -> Network {
    let net = Network(sizes: [1, logits.count], activation: .sigmoid, loss: loss, capacity: 1)
    net.load(weights: [Matrix(rows: logits.count, columns: 1, values: logits.map { _ in 0 })], biases: [logits])
    let input = [0.0]
    net.forward(input: input, rows: 1)
    return net
}

/// Numerical stability of the output layer and losses training uses, on extreme inputs.
@Suite struct NumericsTests {
    @Test(arguments: softmaxCrossEntropyCases.indices)
    func softmaxAndCrossEntropyMatchFixture(_ i: Int) {
        let c = softmaxCrossEntropyCases[i]
        let net = outputLayer(logits: c.logits, loss: .crossEntropy)
        #expect((0..<3).map { net.z[0][$0] } == c.logits)
        #expect((0..<3).map { net.a[0][$0] } == c.softmax)
        #expect(net.lossSum(labels: [c.target], rows: 1).loss == c.crossEntropy)
    }

    /// Training has no binary cross-entropy: a `.mse` network's outputs are sigmoids with the
    /// quadratic cost. The case's loss fixes the sigmoid exactly: `σ(z) = e^(−bce)` for `y = 1`,
    /// `1 − e^(−bce)` for `y = 0`.
    @Test(arguments: binaryCrossEntropyCases.indices)
    func sigmoidOutputAndItsLossMatchFixture(_ i: Int) {
        let c = binaryCrossEntropyCases[i]
        let net = outputLayer(logits: [c.z], loss: .mse)
        let p = Foundation.exp(-c.bce)
        let sigmoid = c.y == 1 ? p : 1 - p
        #expect(net.a[0][0] == sigmoid)
        // Label 0 makes the single output's target 1; any other label makes it 0.
        let loss = net.lossSum(labels: [c.y == 1 ? 0 : 1], rows: 1).loss
        #expect(loss.isFinite)
        #expect(loss == 0.5 * (sigmoid - c.y) * (sigmoid - c.y))
    }

    @Test func sigmoidIsStableAndMonotone() {
        #expect(Activation.logistic(0) == 0.5)
        #expect(Activation.logistic(800) == 1)
        #expect(Activation.logistic(-800) == 0)
        #expect(Activation.logistic(-1e308) == 0)
        #expect(Activation.logistic(1e308) == 1)
        #expect(Activation.logistic(-30) > 0 && Activation.logistic(-30) < 1e-12)
        var previous = 0.0
        for z in stride(from: -50.0, through: 50.0, by: 0.25) {
            let s = Activation.logistic(z)
            #expect(s >= previous)
            previous = s
        }
    }

    /// Property: for random finite logits (including extreme magnitudes) the output layer gives
    /// a distribution and finite, non-negative losses.
    @Test func lossesNeverInfOrNaNForFiniteInputs() {
        var rng = Xoshiro256StarStar(seed: 2024)
        let magnitudes: [Double] = [1, 1e2, 7.1e2, 1e4, 1e300, Double.greatestFiniteMagnitude / 4]
        for trial in 0..<2000 {
            let count = 1 + rng.nextIntByMultiplyShift(below: 6)
            let scale = magnitudes[trial % magnitudes.count]
            let logits = (0..<count).map { _ in (2 * rng.nextUniform() - 1) * scale }
            let target = rng.nextIntByMultiplyShift(below: count)
            let softmax = outputLayer(logits: logits, loss: .crossEntropy)
            let ce = softmax.lossSum(labels: [target], rows: 1).loss
            #expect(ce.isFinite && ce >= 0, "CE \(ce) for \(logits)")
            let p = (0..<count).map { softmax.a[0][$0] }
            #expect(p.allSatisfy { $0.isFinite && $0 >= 0 && $0 <= 1 })
            #expect(abs(p.reduce(0, +) - 1) < 1e-12)
            let sigmoid = outputLayer(logits: logits, loss: .mse)
            let label = rng.nextIntByMultiplyShift(below: count + 1)
            let quadratic = sigmoid.lossSum(labels: [label], rows: 1).loss
            #expect(quadratic.isFinite && quadratic >= 0, "quadratic cost \(quadratic) for \(logits)")
            #expect((0..<count).allSatisfy { sigmoid.a[0][$0].isFinite && sigmoid.a[0][$0] >= 0 && sigmoid.a[0][$0] <= 1 })
        }
    }
}
