import Determinism
import Foundation
@testable import NeuralNet

/// Gaussian blobs: `perClass` rows per class around distinct centres.
func blobs(classes: Int, features: Int, perClass: Int, spread: Double = 0.5, seed: UInt64) -> LabeledData {
    var rng = Xoshiro256StarStar(seed: seed)
    var values: [Double] = [], labels: [Int] = []
    for c in 0..<classes {
        for _ in 0..<perClass {
            for f in 0..<features {
                let centre = Double((c + f) % classes) * 2.0 + Double(f)
                values.append(centre + spread * rng.nextGaussian())
            }
            labels.append(c)
        }
    }
    return LabeledData(features: Matrix(rows: labels.count, columns: features, values: values), labels: labels)
}

/// The four XOR rows, each repeated `copies` times.
func xorData(copies: Int = 1) -> LabeledData {
    var values: [Double] = [], labels: [Int] = []
    for _ in 0..<copies {
        for (a, b) in [(0.0, 0.0), (0, 1), (1, 0), (1, 1)] {
            values += [a, b]
            labels.append(a == b ? 0 : 1)
        }
    }
    return LabeledData(features: Matrix(rows: labels.count, columns: 2, values: values), labels: labels)
}

/// Small Iris-like 3-class, 4-feature data set.
func threeClassData(seed: UInt64 = 7) -> LabeledData {
    blobs(classes: 3, features: 4, perClass: 40, seed: seed)
}

let threeClassNames = ["a", "b", "c"]
let fourFeatureNames = ["f0", "f1", "f2", "f3"]

func hyperparameters(_ configure: (inout Hyperparameters) -> Void) -> Hyperparameters {
    var hp = Hyperparameters()
    configure(&hp)
    return hp
}

/// Softmax by its textbook formula with the maximum subtracted, `e^(z_j − max z) / Σ_k e^(z_k − max z)`
/// (Nielsen ch. 3, eq. (78)): the reference the model's probabilities are checked against.
func referenceSoftmax(_ logits: [Double]) -> [Double] {
    let m = logits.max()!
    let exponentials = logits.map { VectorExp.exp($0 - m) }   // the exponential training uses
    let sum = exponentials.reduce(0, +)
    return exponentials.map { $0 / sum }
}
