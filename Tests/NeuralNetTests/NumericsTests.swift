import Foundation
import Testing
@testable import NeuralNet

/// Rows of /work/shared/cases/numerics/n01_softmax_ce_cases.csv
/// (logits of 3 classes; target index; expected stable softmax; expected −log softmax[target]).
let softmaxCrossEntropyCases: [(logits: [Double], target: Int, softmax: [Double], crossEntropy: Double)] = [
    ([1, -10, 1000], 2, [0, 0, 1], 0),
    ([1, -10, 1000], 0, [0, 0, 1], 999),
    ([1000, 1000, 1000], 1, [0.3333333333333333, 0.3333333333333333, 0.3333333333333333], 1.0986122886681098),
    ([-1000, 0, 1000], 0, [0, 0, 1], 2000),
    ([800, 0, -800], 2, [1, 0, 0], 1600),
    ([0, 0, 0], 0, [0.3333333333333333, 0.3333333333333333, 0.3333333333333333], 1.0986122886681098),
]

/// Rows of /work/shared/cases/numerics/n02_sigmoid_bce_cases.csv (logit z, label y, expected BCE).
let binaryCrossEntropyCases: [(z: Double, y: Double, bce: Double)] = [
    (40, 0, 40.0),
    (40, 1, 4.248354255291589e-18),
    (-40, 1, 40.0),
    (800, 0, 800.0),
    (-800, 0, 0.0),
    (0, 1, 0.6931471805599453),
]

@Suite struct NumericsTests {
    @Test(arguments: softmaxCrossEntropyCases.indices)
    func softmaxAndCrossEntropyMatchFixture(_ i: Int) {
        let c = softmaxCrossEntropyCases[i]
        #expect(Numerics.softmax(c.logits) == c.softmax)
        #expect(Numerics.crossEntropy(logits: c.logits, target: c.target) == c.crossEntropy)
        let ls = Numerics.logSoftmax(c.logits)
        #expect(-ls[c.target] == c.crossEntropy)
    }

    @Test(arguments: binaryCrossEntropyCases.indices)
    func binaryCrossEntropyMatchesFixture(_ i: Int) {
        let c = binaryCrossEntropyCases[i]
        #expect(Numerics.binaryCrossEntropy(logit: c.z, label: c.y) == c.bce)
    }

    @Test func sigmoidIsStableAndMonotone() {
        #expect(Numerics.sigmoid(0) == 0.5)
        #expect(Numerics.sigmoid(800) == 1)
        #expect(Numerics.sigmoid(-800) == 0)
        #expect(Numerics.sigmoid(-1e308) == 0)
        #expect(Numerics.sigmoid(1e308) == 1)
        #expect(Numerics.sigmoid(-30) > 0 && Numerics.sigmoid(-30) < 1e-12)
        var previous = 0.0
        for z in stride(from: -50.0, through: 50.0, by: 0.25) {
            let s = Numerics.sigmoid(z)
            #expect(s >= previous)
            previous = s
        }
    }

    /// Property: for random finite logits (including extreme magnitudes) the
    /// losses are finite and non-negative, and softmax is a distribution.
    @Test func lossesNeverInfOrNaNForFiniteInputs() {
        var rng = Xoshiro256StarStar(seed: 2024)
        let magnitudes: [Double] = [1, 1e2, 7.1e2, 1e4, 1e300, Double.greatestFiniteMagnitude / 4]
        for trial in 0..<2000 {
            let count = 1 + rng.nextInt(below: 6)
            let scale = magnitudes[trial % magnitudes.count]
            let logits = (0..<count).map { _ in (2 * rng.nextUniform() - 1) * scale }
            let target = rng.nextInt(below: count)
            let ce = Numerics.crossEntropy(logits: logits, target: target)
            #expect(ce.isFinite && ce >= 0, "CE \(ce) for \(logits)")
            let p = Numerics.softmax(logits)
            #expect(p.allSatisfy { $0.isFinite && $0 >= 0 && $0 <= 1 })
            #expect(abs(p.reduce(0, +) - 1) < 1e-12)
            #expect(Numerics.logSoftmax(logits).allSatisfy { !$0.isNaN && $0 <= 0 })
            let z = logits[0], y = Double(rng.nextInt(below: 2))
            let bce = Numerics.binaryCrossEntropy(logit: z, label: y)
            #expect(bce.isFinite && bce >= 0, "BCE \(bce) for z \(z) y \(y)")
            let s = Numerics.sigmoid(z)
            #expect(s.isFinite && s >= 0 && s <= 1)
        }
    }
}
