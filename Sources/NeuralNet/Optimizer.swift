import Foundation

/// Per-run optimizer state (velocity / moment buffers, allocated once) and
/// the parameter update applied after each mini-batch gradient `g`.
final class Optimizer {
    let kind: OptimizerKind
    let learningRate: Double
    let momentum: Double
    let count: Int
    /// Velocity `v` (momentum) or first moment `m` (Adam).
    let first: UnsafeMutablePointer<Double>
    /// Second moment `v` (Adam).
    let second: UnsafeMutablePointer<Double>
    /// Number of updates done (Adam's `t`).
    var steps = 0

    static let beta1 = 0.9
    static let beta2 = 0.999
    static let epsilon = 1e-8

    init(kind: OptimizerKind, learningRate: Double, momentum: Double, count: Int) {
        self.kind = kind
        self.learningRate = learningRate
        self.momentum = momentum
        self.count = count
        first = .allocate(capacity: max(count, 1))
        first.initialize(repeating: 0, count: max(count, 1))
        second = .allocate(capacity: max(count, 1))
        second.initialize(repeating: 0, count: max(count, 1))
    }

    deinit {
        first.deallocate()
        second.deallocate()
    }

    /// Updates `params` in place from `grads` (both `count` values).
    ///
    /// - `.sgd`: `θ → θ − η g` (Nielsen ch. 1, eqs. (20)–(21)), by `cblas_daxpy`.
    /// - `.momentum`: `v → μ v − η g`, `θ → θ + v` (Nielsen ch. 3, "Momentum-based gradient descent").
    /// - `.adam`: `m → β1 m + (1−β1) g`, `v → β2 v + (1−β2) g²`, `m̂ = m/(1−β1^t)`,
    ///   `v̂ = v/(1−β2^t)`, `θ → θ − η m̂ / (√v̂ + ε)` (Kingma & Ba 2015, Algorithm 1).
    func step(params: UnsafeMutablePointer<Double>, grads: UnsafePointer<Double>) {
        steps += 1
        let eta = learningRate
        switch kind {
        case .sgd:
            axpy(count: count, alpha: -eta, x: grads, y: params)
        case .momentum:
            let mu = momentum
            for k in 0..<count {
                let v = mu * first[k] - eta * grads[k]
                first[k] = v
                params[k] += v
            }
        case .adam:
            let b1 = Optimizer.beta1, b2 = Optimizer.beta2, eps = Optimizer.epsilon
            let c1 = 1 - Foundation.pow(b1, Double(steps))
            let c2 = 1 - Foundation.pow(b2, Double(steps))
            for k in 0..<count {
                let g = grads[k]
                let m = b1 * first[k] + (1 - b1) * g
                let v = b2 * second[k] + (1 - b2) * g * g
                first[k] = m
                second[k] = v
                params[k] -= eta * (m / c1) / ((v / c2).squareRoot() + eps)
            }
        }
    }
}
