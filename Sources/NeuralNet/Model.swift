import Foundation

/// A trained multi-layer perceptron together with its feature scaler and the
/// names of its classes and features. Value type; all methods are pure.
public struct Model: Sendable, Equatable {
    /// `[n_0 (inputs), n_1, ..., n_L (classes)]`, every entry `>= 1`.
    public var layerSizes: [Int]
    /// Hidden-layer activation.
    public var activation: Activation
    /// Output layer and cost (sigmoid + quadratic, or softmax + cross-entropy).
    public var loss: LossFunction
    /// `weights[l-1]` is `W^l`, `n_l x n_{l-1}` (Nielsen's `w^l_jk`; PyTorch's `Linear.weight`).
    public var weights: [Matrix]
    /// `biases[l-1]` is `b^l`, `n_l` values.
    public var biases: [[Double]]
    /// Scaling applied to raw features before the first layer.
    public var scaler: FeatureScaler
    /// `n_L` class names, index = label.
    public var classNames: [String]
    /// `n_0` feature names, in column order (may be empty when unknown).
    public var featureNames: [String]

    /// Creates a model from explicit parameters.
    ///
    /// - Precondition: shapes agree with `layerSizes` (`weights[i]` is
    ///   `layerSizes[i+1] x layerSizes[i]`, `biases[i]` has `layerSizes[i+1]` values,
    ///   the scaler has `layerSizes[0]` entries); traps otherwise.
    public init(layerSizes: [Int], activation: Activation, loss: LossFunction, weights: [Matrix],
                biases: [[Double]], scaler: FeatureScaler, classNames: [String], featureNames: [String]) {
        precondition(layerSizes.count >= 2 && layerSizes.allSatisfy { $0 >= 1 }, "invalid layer sizes")
        precondition(weights.count == layerSizes.count - 1 && biases.count == layerSizes.count - 1,
                     "need one weight matrix and bias vector per layer")
        for i in 0..<weights.count {
            precondition(weights[i].rows == layerSizes[i + 1] && weights[i].columns == layerSizes[i],
                         "weights[\(i)] must be \(layerSizes[i + 1])x\(layerSizes[i])")
            precondition(biases[i].count == layerSizes[i + 1], "biases[\(i)] must have \(layerSizes[i + 1]) values")
        }
        precondition(scaler.shift.count == layerSizes[0], "scaler must have \(layerSizes[0]) features")
        self.layerSizes = layerSizes
        self.activation = activation
        self.loss = loss
        self.weights = weights
        self.biases = biases
        self.scaler = scaler
        self.classNames = classNames
        self.featureNames = featureNames
    }

    /// Runs the network on scaled rows and returns it with its outputs in place.
    private func run(_ features: Matrix) -> Network {
        precondition(features.columns == layerSizes[0],
                     "model takes \(layerSizes[0]) features, got \(features.columns)")
        let net = Network(sizes: layerSizes, activation: activation, loss: loss, capacity: features.rows)
        net.load(weights: weights, biases: biases)
        if features.rows > 0 {
            let scaled = scaler.transform(features)
            scaled.values.withUnsafeBufferPointer { net.forward(input: $0.baseAddress!, rows: features.rows) }
        }
        return net
    }

    /// Class probabilities for raw (unscaled) feature rows.
    ///
    /// - Parameter features: `rows x n_0`, raw feature units (the stored
    ///   ``scaler`` is applied first).
    /// - Returns: `rows x n_L`; each row sums to 1 (to rounding). For
    ///   `.crossEntropy` it is the softmax of the output logits. For `.mse`
    ///   the sigmoid outputs `σ(z^L_j)` are divided by their row sum (they are
    ///   independent scores, not probabilities, before this); if that sum
    ///   underflows to 0 (all logits below about −745) the row is the softmax
    ///   of the logits, which is the limit of the normalised sigmoids.
    /// - Precondition: `features.columns == layerSizes[0]` (traps otherwise).
    public func probabilities(_ features: Matrix) -> Matrix {
        let n = layerSizes.last!
        let net = run(features)
        var out = Matrix(rows: features.rows, columns: n, repeating: 0)
        let last = net.layerCount - 1
        for r in 0..<features.rows {
            let ar = net.a[last] + r * n, zr = net.z[last] + r * n
            if loss == .mse {
                var s = 0.0
                for j in 0..<n { s += ar[j] }
                if s > 0 && s.isFinite {
                    for j in 0..<n { out.values[r * n + j] = ar[j] / s }
                    continue
                }
                out.values.withUnsafeMutableBufferPointer {
                    _ = Network.softmaxRow(zr, $0.baseAddress! + r * n, count: n)
                }
            } else {
                for j in 0..<n { out.values[r * n + j] = ar[j] }
            }
        }
        return out
    }

    /// Predicted class index per row: the argmax of the output logits `z^L`
    /// (the same as the argmax of ``probabilities(_:)``, since sigmoid and
    /// softmax are increasing), ties to the lowest index.
    ///
    /// - Parameter features: `rows x n_0`, raw feature units.
    /// - Returns: `rows` indices in `0..<n_L`.
    public func predict(_ features: Matrix) -> [Int] {
        let n = layerSizes.last!
        let net = run(features)
        let zL = net.z[net.layerCount - 1]
        return (0..<features.rows).map { r in
            let zr = zL + r * n
            var best = 0
            for j in 1..<n where zr[j] > zr[best] { best = j }
            return best
        }
    }

    /// Mean cost per row of `data` (`rows x n_0` raw features, labels in `0..<n_L`): the
    /// quadratic cost `½‖a^L − y‖²` for `.mse` (Nielsen eq. 6), `−log softmax(z^L)[y]` for
    /// `.crossEntropy` — the loss training reports. 0 for an empty data set.
    public func loss(_ data: LabeledData) -> Double {
        guard data.features.rows > 0 else { return 0 }
        let net = run(data.features)
        let sum = data.labels.withUnsafeBufferPointer { net.lossSum(labels: $0.baseAddress!, rows: data.features.rows).loss }
        return sum / Double(data.features.rows)
    }

    /// Fraction of rows of `data` whose prediction equals the label, in `[0, 1]`
    /// (0 for an empty data set).
    public func evaluate(_ data: LabeledData) -> Double {
        guard data.features.rows > 0 else { return 0 }
        let p = predict(data.features)
        var correct = 0
        for (a, b) in zip(p, data.labels) where a == b { correct += 1 }
        return Double(correct) / Double(data.features.rows)
    }
}
