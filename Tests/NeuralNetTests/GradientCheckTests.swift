import Determinism
import Foundation
import Testing
@testable import NeuralNet

struct GradientCase: CustomStringConvertible, Sendable {
    var activation: Activation
    var loss: LossFunction
    var hidden: [Int]
    var weightDecay: Double
    /// Class weighting of the cost (`class_weight`).
    var classWeight: ClassWeighting = .none
    var description: String { "\(activation.rawValue)/\(loss.rawValue)/\(hidden)/wd=\(weightDecay)/\(classWeight.rawValue)" }
}

let gradientCases: [GradientCase] = Activation.allCases.flatMap { act -> [GradientCase] in
    LossFunction.allCases.flatMap { loss -> [GradientCase] in
        let plain: [GradientCase] = [[], [5], [4, 3]].flatMap { (hidden: [Int]) -> [GradientCase] in
            [0.0, 0.1].map { GradientCase(activation: act, loss: loss, hidden: hidden, weightDecay: $0) }
        }
        // The balanced class weights (unequal here: classes of 2, 2, 1 and 1 rows) in the cost and its gradient.
        let weighted: [GradientCase] = [[], [4, 3]].map { (hidden: [Int]) -> GradientCase in
            GradientCase(activation: act, loss: loss, hidden: hidden, weightDecay: 0.1, classWeight: .balanced)
        }
        return plain + weighted
    }
}

/// ‖a − b‖ / (‖a‖ + ‖b‖), 0 when both are 0.
func relativeError(_ a: [Double], _ b: [Double]) -> Double {
    var diff = 0.0, na = 0.0, nb = 0.0
    for (x, y) in zip(a, b) { diff += (x - y) * (x - y); na += x * x; nb += y * y }
    let denominator = na.squareRoot() + nb.squareRoot()
    return denominator == 0 ? 0 : diff.squareRoot() / denominator
}

@Suite struct GradientCheckTests {
    /// Backpropagation (BP1–BP4 + L2 term) against central finite differences
    /// `(C(θ+h) − C(θ−h)) / 2h` of the batch-mean cost plus `(λ'/2)‖W‖²`,
    /// for each weight matrix and bias vector separately.
    @Test(arguments: gradientCases)
    func backpropMatchesFiniteDifferences(_ c: GradientCase) {
        let sizes = [3] + c.hidden + [4]
        let rows = 6
        let net = Network(sizes: sizes, activation: c.activation, loss: c.loss, capacity: rows)
        var rng = Xoshiro256StarStar(seed: 11 + UInt64(c.hidden.count))
        net.initialize(.normal, rng: &rng)
        let x = (0..<(rows * 3)).map { _ in rng.nextGaussian() }
        let y = (0..<rows).map { $0 % 4 }
        if c.classWeight != .none { net.classWeights = c.classWeight.weights(labels: y, classes: 4) }
        x.withUnsafeBufferPointer { xp in
            y.withUnsafeBufferPointer { yp in
                let input = xp.baseAddress!, labels = yp.baseAddress!
                net.forward(input: input, rows: rows)
                net.backward(input: input, labels: labels, rows: rows)
                net.addWeightDecay(c.weightDecay)
                let analytic = Array(UnsafeBufferPointer(start: net.grads, count: net.parameterCount))
                var numeric = Array(repeating: 0.0, count: net.parameterCount)
                let h = 1e-5
                for k in 0..<net.parameterCount {
                    let saved = net.params[k]
                    net.params[k] = saved + h
                    let plus = net.objective(input: input, labels: labels, rows: rows, weightDecay: c.weightDecay)
                    net.params[k] = saved - h
                    let minus = net.objective(input: input, labels: labels, rows: rows, weightDecay: c.weightDecay)
                    net.params[k] = saved
                    numeric[k] = (plus - minus) / (2 * h)
                }
                for i in 0..<net.layerCount {
                    let w = net.weightOffset[i]..<(net.weightOffset[i] + sizes[i + 1] * sizes[i])
                    let b = net.biasOffset[i]..<(net.biasOffset[i] + sizes[i + 1])
                    let ew = relativeError(Array(analytic[w]), Array(numeric[w]))
                    let eb = relativeError(Array(analytic[b]), Array(numeric[b]))
                    #expect(ew < 1e-6, "W^\(i + 1) relative error \(ew)")
                    #expect(eb < 1e-6, "b^\(i + 1) relative error \(eb)")
                    #expect(analytic[w].contains { $0 != 0 }, "W^\(i + 1) gradient is all zero")
                }
            }
        }
    }
}

@Suite struct ClassWeightingTests {
    /// scikit-learn's `compute_class_weight("balanced")`: n / (k · n_c) over the classes present.
    @Test func balancedWeightsGiveEveryClassTheSameTotal() {
        let labels = [0, 0, 0, 0, 0, 0, 1, 1, 2, 0]
        let weights = ClassWeighting.balanced.weights(labels: labels, classes: 3)
        let expected: [Double] = [10.0 / 21, 10.0 / 6, 10.0 / 3]
        #expect(zip(weights, expected).allSatisfy { abs($0 - $1) < 1e-12 } && weights.count == 3)
        let totals = (0..<3).map { c in Double(labels.filter { $0 == c }.count) * weights[c] }
        #expect(totals.allSatisfy { abs($0 - 10.0 / 3) < 1e-12 })
        // A class without training rows: k counts the classes present, and the absent one gets 1.
        #expect(ClassWeighting.balanced.weights(labels: [0, 0, 2], classes: 3) == [0.75, 1, 1.5])
        #expect(ClassWeighting.none.weights(labels: labels, classes: 3) == [1, 1, 1])
    }

    /// The weighted objective is `(1/B) Σ_x w_x C_x`: with every weight 2 it is twice the unweighted one.
    @Test func theWeightedCostScalesEachRowByItsClassWeight() {
        let net = Network(sizes: [2, 3], activation: .sigmoid, loss: .crossEntropy, capacity: 4)
        var rng = Xoshiro256StarStar(seed: 5)
        net.initialize(.normal, rng: &rng)
        let x = (0..<8).map { _ in rng.nextGaussian() }, y = [0, 1, 2, 1]
        x.withUnsafeBufferPointer { xp in
            y.withUnsafeBufferPointer { yp in
                let plain = net.objective(input: xp.baseAddress!, labels: yp.baseAddress!, rows: 4, weightDecay: 0)
                net.classWeights = [2, 2, 2]
                let doubled = net.objective(input: xp.baseAddress!, labels: yp.baseAddress!, rows: 4, weightDecay: 0)
                #expect(abs(doubled - 2 * plain) < 1e-12 && plain > 0)
            }
        }
    }
}
