import Determinism
import Foundation
import Testing
@testable import NeuralNet

struct GradientCase: CustomStringConvertible, Sendable {
    var activation: Activation
    var loss: LossFunction
    var hidden: [Int]
    var weightDecay: Double
    var description: String { "\(activation.rawValue)/\(loss.rawValue)/\(hidden)/wd=\(weightDecay)" }
}

let gradientCases: [GradientCase] = Activation.allCases.flatMap { act in
    LossFunction.allCases.flatMap { loss in
        [[], [5], [4, 3]].flatMap { hidden in
            [0.0, 0.1].map { GradientCase(activation: act, loss: loss, hidden: hidden, weightDecay: $0) }
        }
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
