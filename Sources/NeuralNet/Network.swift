import Determinism
import Foundation

/// The working state of one multi-layer perceptron: all parameters in one
/// contiguous buffer, their gradients, and per-layer activation buffers for
/// up to `capacity` rows. Allocated once per training run and reused by every
/// mini-batch and every evaluation pass (no allocation in the epoch loop).
///
/// Notation (Nielsen ch. 2) for a mini-batch of `B` rows, layers `l = 1...L`
/// with widths `n_0` (inputs) ... `n_L` (classes); buffers are row-major with
/// one row per example, so every per-example column vector of the book is a
/// row here:
///
/// | quantity | shape | storage |
/// |---|---|---|
/// | `A^0` (input batch) | `B x n_0` | caller's buffer |
/// | `W^l` | `n_l x n_{l-1}` | `params + weightOffset[l-1]` |
/// | `b^l` | `n_l` | `params + biasOffset[l-1]` |
/// | `Z^l = A^{l-1} (W^l)^T + 1 (b^l)^T` | `B x n_l` | `z[l-1]` |
/// | `A^l = σ(Z^l)` | `B x n_l` | `a[l-1]` |
/// | `Δ^l` (rows are `δ^l` of each example) | `B x n_l` | `delta[l-1]` |
/// | `∂C/∂W^l`, `∂C/∂b^l` | `n_l x n_{l-1}`, `n_l` | `grads` (same offsets as `params`) |
final class Network {
    let sizes: [Int]
    let activation: Activation
    let loss: LossFunction
    /// Maximum number of rows a forward/backward pass can take.
    let capacity: Int
    /// Number of weight layers `L = sizes.count − 1`.
    let layerCount: Int
    let parameterCount: Int
    /// Offset of `W^{i+1}` (index `i = l − 1`) in `params`/`grads`.
    let weightOffset: [Int]
    /// Offset of `b^{i+1}` in `params`/`grads`.
    let biasOffset: [Int]
    let params: UnsafeMutablePointer<Double>
    let grads: UnsafeMutablePointer<Double>
    let z: [UnsafeMutablePointer<Double>]
    let a: [UnsafeMutablePointer<Double>]
    let delta: [UnsafeMutablePointer<Double>]
    /// Per row of the last forward pass with the softmax output: `Σ_j e^(z^L_j − max z^L)`,
    /// kept so ``lossSum(labels:rows:)`` need not compute the same exponentials again.
    let softmaxSums: UnsafeMutablePointer<Double>
    /// Work space of the small layers' products (``SmallProducts``): a packed operand.
    let scratch: UnsafeMutablePointer<Double>
    /// The weight of each class's rows in the training cost (``ClassWeighting``), `n_L` values;
    /// nil: every row counts 1. Used by ``backward(input:labels:rows:)`` and
    /// ``objective(input:labels:rows:weightDecay:)``; the measured losses stay unweighted.
    var classWeights: [Double]? = nil

    init(sizes: [Int], activation: Activation, loss: LossFunction, capacity: Int) {
        precondition(sizes.count >= 2 && sizes.allSatisfy { $0 >= 1 }, "invalid layer sizes \(sizes)")
        self.sizes = sizes
        self.activation = activation
        self.loss = loss
        self.capacity = max(1, capacity)
        layerCount = sizes.count - 1
        var wOff: [Int] = [], bOff: [Int] = []
        var total = 0
        for i in 0..<layerCount {
            wOff.append(total); total += sizes[i + 1] * sizes[i]
            bOff.append(total); total += sizes[i + 1]
        }
        weightOffset = wOff
        biasOffset = bOff
        parameterCount = total
        params = .allocate(capacity: total)
        params.initialize(repeating: 0, count: total)
        grads = .allocate(capacity: total)
        grads.initialize(repeating: 0, count: total)
        func buffer(_ n: Int) -> UnsafeMutablePointer<Double> {
            let p = UnsafeMutablePointer<Double>.allocate(capacity: n)
            p.initialize(repeating: 0, count: n)
            return p
        }
        let cap = self.capacity
        z = (1...layerCount).map { buffer(cap * sizes[$0]) }
        a = (1...layerCount).map { buffer(cap * sizes[$0]) }
        delta = (1...layerCount).map { buffer(cap * sizes[$0]) }
        softmaxSums = buffer(cap)
        scratch = buffer(max(1, SmallProducts.scratchCount(sizes: sizes, capacity: cap)))
    }

    deinit {
        params.deallocate()
        grads.deallocate()
        for p in z { p.deallocate() }
        for p in a { p.deallocate() }
        for p in delta { p.deallocate() }
        softmaxSums.deallocate()
        scratch.deallocate()
    }

    /// Number of classes `n_L`.
    var outputs: Int { sizes[layerCount] }

    // MARK: Parameters

    /// Copies `weights` (`n_l x n_{l-1}` each) and `biases` into `params`.
    func load(weights: [Matrix], biases: [[Double]]) {
        precondition(weights.count == layerCount && biases.count == layerCount, "layer count mismatch")
        for i in 0..<layerCount {
            precondition(weights[i].rows == sizes[i + 1] && weights[i].columns == sizes[i], "weight shape mismatch")
            precondition(biases[i].count == sizes[i + 1], "bias shape mismatch")
            weights[i].values.withUnsafeBufferPointer { (params + weightOffset[i]).update(from: $0.baseAddress!, count: $0.count) }
            biases[i].withUnsafeBufferPointer { (params + biasOffset[i]).update(from: $0.baseAddress!, count: $0.count) }
        }
    }

    /// The parameters as `(weights, biases)` arrays (copies).
    func exportParameters(from source: UnsafePointer<Double>? = nil) -> (weights: [Matrix], biases: [[Double]]) {
        let src = source ?? UnsafePointer(params)
        var ws: [Matrix] = [], bs: [[Double]] = []
        for i in 0..<layerCount {
            let nOut = sizes[i + 1], nIn = sizes[i]
            ws.append(Matrix(rows: nOut, columns: nIn,
                             values: Array(UnsafeBufferPointer(start: src + weightOffset[i], count: nOut * nIn))))
            bs.append(Array(UnsafeBufferPointer(start: src + biasOffset[i], count: nOut)))
        }
        return (ws, bs)
    }

    /// Draws initial parameters from `rng`, layer by layer: the weights of
    /// `W^l` in row-major order, then `b^l` (see ``WeightInit``).
    func initialize(_ method: WeightInit, rng: inout Xoshiro256StarStar) {
        for i in 0..<layerCount {
            let nIn = sizes[i], nOut = sizes[i + 1]
            let w = params + weightOffset[i], b = params + biasOffset[i]
            let count = nOut * nIn
            switch method {
            case .normal:
                for k in 0..<count { w[k] = rng.nextGaussian() }
                for k in 0..<nOut { b[k] = rng.nextGaussian() }
            case .normalScaled:
                let sd = (1 / Double(nIn)).squareRoot()
                for k in 0..<count { w[k] = sd * rng.nextGaussian() }
                b.update(repeating: 0, count: nOut)
            case .xavier:
                let r = (6 / Double(nIn + nOut)).squareRoot()
                for k in 0..<count { w[k] = (2 * rng.nextUniform() - 1) * r }
                b.update(repeating: 0, count: nOut)
            case .he:
                let sd = (2 / Double(nIn)).squareRoot()
                for k in 0..<count { w[k] = sd * rng.nextGaussian() }
                b.update(repeating: 0, count: nOut)
            }
        }
    }

    /// True when every parameter is finite.
    func parametersAreFinite() -> Bool {
        for k in 0..<parameterCount where !params[k].isFinite { return false }
        return true
    }

    /// `½ Σ_l ‖W^l‖²` (biases excluded), the L2 penalty before its coefficient.
    func halfSquaredWeightNorm() -> Double {
        var s = 0.0
        for i in 0..<layerCount {
            let w = params + weightOffset[i]
            for k in 0..<(sizes[i + 1] * sizes[i]) { s += w[k] * w[k] }
        }
        return 0.5 * s
    }

    // MARK: Forward pass

    /// Feedforward for `rows` examples (Nielsen ch. 2, eq. (25) `z^l = w^l a^{l−1} + b^l`
    /// and `a^l = σ(z^l)`, eq. (23)–(24)), in batch form
    /// `Z^l = A^{l−1} (W^l)^T + 1 (b^l)^T` (`B x n_l`) by ``SmallProducts/forward(rows:nIn:nOut:a:w:z:scratch:)``
    /// (`cblas_dgemm` for a layer wider than 32); activations and
    /// softmax take their exponentials from ``VectorExp``.
    ///
    /// Hidden layers apply ``activation``; the output layer applies the
    /// sigmoid (`.mse`) or a row-wise softmax with the maximum subtracted
    /// (`.crossEntropy`). Results are left in `z` and `a`.
    ///
    /// - Parameters:
    ///   - input: `rows x n_0` row-major, already scaled.
    ///   - rows: `1...capacity`.
    func forward(input: UnsafePointer<Double>, rows: Int) {
        precondition(rows >= 1 && rows <= capacity, "batch of \(rows) rows exceeds capacity \(capacity)")
        var prev = input
        for i in 0..<layerCount {
            let nIn = sizes[i], nOut = sizes[i + 1]
            let zi = z[i], ai = a[i], b = params + biasOffset[i]
            // Z starts as the bias rows and the product is added to it: each element is
            // `sum + b_j`, rounded once, as when the bias is added after the product (for a wide
            // layer OpenBLAS's beta = 1, which also skips its pass that zeroes C).
            for r in 0..<rows {
                let row = zi + r * nOut
                for j in 0..<nOut { row[j] = b[j] }
            }
            SmallProducts.forward(rows: rows, nIn: nIn, nOut: nOut, a: prev, w: params + weightOffset[i], z: zi,
                                  scratch: scratch)
            if i < layerCount - 1 {
                activation.apply(zi, ai, count: rows * nOut)
            } else if loss == .mse {
                Activation.sigmoid.apply(zi, ai, count: rows * nOut)
            } else {
                Network.softmaxRows(zi, ai, sums: softmaxSums, rows: rows, count: nOut)
            }
            prev = UnsafePointer(ai)
        }
    }

    /// `out = softmax(z)` row by row for `rows` rows of `count` logits, each row's max
    /// subtracted, the exponentials by ``VectorExp`` over all rows at once; `sums[r]` is the
    /// row's `Σ_j e^(z_j − max z)` (summed in column order) it divided by.
    static func softmaxRows(_ z: UnsafePointer<Double>, _ out: UnsafeMutablePointer<Double>,
                            sums: UnsafeMutablePointer<Double>, rows: Int, count: Int) {
        for r in 0..<rows {
            let zr = z + r * count, or = out + r * count
            var m = -Double.infinity
            for j in 0..<count where zr[j] > m { m = zr[j] }
            for j in 0..<count { or[j] = zr[j] - m }
        }
        VectorExp.apply(out, out, count: rows * count)
        for r in 0..<rows {
            let or = out + r * count
            var s = 0.0
            for j in 0..<count { s += or[j] }
            for j in 0..<count { or[j] /= s }
            sums[r] = s
        }
    }

    /// `out = softmax(z)` for one row of `count` logits (``softmaxRows(_:_:sums:rows:count:)``
    /// of one row); returns the sum `Σ_j e^(z_j − max z)` it divided by.
    @discardableResult
    static func softmaxRow(_ z: UnsafePointer<Double>, _ out: UnsafeMutablePointer<Double>, count: Int) -> Double {
        var s = 0.0
        softmaxRows(z, out, sums: &s, rows: 1, count: count)
        return s
    }

    /// Sum over `rows` examples of the cost `C_x` after ``forward(input:rows:)``,
    /// and the number of examples whose argmax logit (ties to the lowest index)
    /// equals the label.
    ///
    /// Quadratic cost `½ Σ_j (a^L_j − y_j)²` (Nielsen ch. 2, eq. (27)) for `.mse`;
    /// `(m − z^L_y) + ln Σ_j e^(z^L_j − m)`, `m = max z^L` (= `−ln softmax(z^L)_y`) for `.crossEntropy`.
    /// With `classWeights`, each row's cost is multiplied by its class's weight.
    func lossSum(labels: UnsafePointer<Int>, rows: Int, classWeights: [Double]? = nil) -> (loss: Double, correct: Int) {
        let out = layerCount - 1, n = outputs
        var total = 0.0
        var correct = 0
        for r in 0..<rows {
            let zr = z[out] + r * n, ar = a[out] + r * n
            let y = labels[r]
            var best = 0
            for j in 1..<n where zr[j] > zr[best] { best = j }
            if best == y { correct += 1 }
            switch loss {
            case .mse:
                var s = 0.0
                for j in 0..<n {
                    let d = ar[j] - (j == y ? 1 : 0)
                    s += d * d
                }
                total += 0.5 * s * (classWeights?[y] ?? 1)
            case .crossEntropy:
                // softmaxSums[r] is Σ_j e^(z_j − m) summed in this order by the forward pass.
                let m = zr[best]
                total += max(0, (m - zr[y]) + Foundation.log(softmaxSums[r])) * (classWeights?[y] ?? 1)
            }
        }
        return (total, correct)
    }
}
