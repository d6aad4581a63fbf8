import Foundation

/// Activation function `σ` of the hidden layers.
///
/// The output layer's function is fixed by the ``LossFunction``: sigmoid for
/// `.mse`, softmax for `.crossEntropy`.
public enum Activation: String, Codable, CaseIterable, Sendable {
    /// Logistic sigmoid `1 / (1 + e^-z)` (Nielsen ch. 1, eq. (3)); `σ' = σ(1 - σ)`.
    case sigmoid
    /// Hyperbolic tangent (Nielsen ch. 3, "Other models of artificial neuron"); `σ' = 1 - tanh²`.
    case tanh
    /// Rectified linear unit `max(0, z)`; derivative taken as 1 for `z > 0`, else 0.
    case relu

    /// Logistic sigmoid `σ(z) = 1 / (1 + e^-z)` (Nielsen ch. 1, eq. (3)), stable for large `|z|`:
    /// with `e = e^-|z|` (never overflows; ``VectorExp``) it returns `1 / (1 + e)` for `z >= 0`
    /// and the equal `e / (1 + e)` for `z < 0`. Result in `[0, 1]`; exactly `1.0` for
    /// `z >= ~37` in Float64. Four lanes at a time.
    @inline(__always)
    static func logistic(_ z: SIMD4<Double>) -> SIMD4<Double> {
        let nonNegative = z .>= 0
        var negativeMagnitude = z
        negativeMagnitude.replace(with: -z, where: nonNegative)
        let e = VectorExp.exp(negativeMagnitude)
        let s = 1 / (1 + e)
        var out = e * s
        out.replace(with: s, where: nonNegative)
        return out
    }

    /// ``logistic(_:)-(SIMD4<Double>)`` of one value (the same bits as a lane of the four-lane form).
    @inline(__always)
    static func logistic(_ z: Double) -> Double {
        logistic(SIMD4(repeating: z))[0]
    }

    /// Applies the activation elementwise: `a[i] = σ(z[i])` for `i in 0..<count`; the sigmoid
    /// four values at a time.
    @inline(__always)
    func apply(_ z: UnsafePointer<Double>, _ a: UnsafeMutablePointer<Double>, count: Int) {
        switch self {
        case .sigmoid:
            var i = 0
            while i < count {
                VectorExp.storePartial(Activation.logistic(VectorExp.loadPartial(z + i, count - i)), a + i, count - i)
                i += 4
            }
        case .tanh:
            for i in 0..<count { a[i] = Foundation.tanh(z[i]) }
        case .relu:
            for i in 0..<count { a[i] = z[i] > 0 ? z[i] : 0 }
        }
    }

    /// Multiplies `d[i]` by `σ'(z[i])` elementwise (the `⊙ σ'(z^l)` of BP2),
    /// using the stored activations `a = σ(z)` where that is cheaper.
    @inline(__always)
    func multiplyDerivative(_ d: UnsafeMutablePointer<Double>, z: UnsafePointer<Double>,
                            a: UnsafePointer<Double>, count: Int) {
        switch self {
        case .sigmoid:
            for i in 0..<count { d[i] *= a[i] * (1 - a[i]) }
        case .tanh:
            for i in 0..<count { d[i] *= 1 - a[i] * a[i] }
        case .relu:
            for i in 0..<count { d[i] = z[i] > 0 ? d[i] : 0 }
        }
    }
}
