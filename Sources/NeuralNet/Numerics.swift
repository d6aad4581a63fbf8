import Foundation

/// Numerically stable scalar and vector functions used by the network.
///
/// All functions return finite values for finite inputs (except where a true
/// result is infinite, which cannot happen for these formulas), never NaN, and
/// do not overflow: exponentials are only taken of non-positive arguments.
public enum Numerics {
    /// Logistic sigmoid `σ(z) = 1 / (1 + e^-z)` (Nielsen ch. 1, eq. (3)).
    ///
    /// Stable for large `|z|`: with `e = e^-|z|` (never overflows) it returns
    /// `1 / (1 + e)` for `z >= 0` and the equal `e / (1 + e)` for `z < 0`.
    /// Result in `[0, 1]`; it is exactly `1.0` for `z >= ~37` in Float64.
    @inline(__always)
    public static func sigmoid(_ z: Double) -> Double {
        let e = Foundation.exp(-Swift.abs(z))
        let s = 1 / (1 + e)
        return z >= 0 ? s : e * s
    }

    /// Softmax of a vector of logits: `e^(z_j - max z) / Σ_k e^(z_k - max z)`
    /// (Nielsen ch. 3, eq. (78), with the maximum subtracted for stability).
    ///
    /// - Returns: probabilities of the same length, summing to 1 (to rounding);
    ///   an empty input gives an empty output.
    public static func softmax(_ logits: [Double]) -> [Double] {
        guard let m = logits.max() else { return [] }
        var out = logits.map { Foundation.exp($0 - m) }
        let s = out.reduce(0, +)
        for i in out.indices { out[i] /= s }
        return out
    }

    /// Log-sum-exp `log Σ_k e^(z_k)`, computed as `m + log Σ_k e^(z_k - m)`
    /// with `m = max z`. `-inf` for an empty input.
    public static func logSumExp(_ logits: [Double]) -> Double {
        guard let m = logits.max() else { return -Double.infinity }
        var s = 0.0
        for z in logits { s += Foundation.exp(z - m) }
        return m + Foundation.log(s)
    }

    /// Log-softmax `(z_j − m) − log Σ_k e^(z_k − m)` with `m = max z`,
    /// without forming the softmax first (and without adding back `m`, which
    /// would lose the low digits when `|m|` is large).
    public static func logSoftmax(_ logits: [Double]) -> [Double] {
        guard let m = logits.max() else { return [] }
        var s = 0.0
        for z in logits { s += Foundation.exp(z - m) }
        let ls = Foundation.log(s)
        return logits.map { ($0 - m) - ls }
    }

    /// Categorical cross-entropy of one example from its logits:
    /// `−log softmax(z)[target] = (m − z[target]) + log Σ_k e^(z_k − m)`,
    /// `m = max z` (Nielsen ch. 3, log-likelihood cost, eq. (80)).
    ///
    /// - Parameters:
    ///   - logits: output-layer weighted inputs `z^L` (one per class).
    ///   - target: class index in `0..<logits.count` (traps otherwise).
    /// - Returns: a non-negative loss in nats; finite for finite logits.
    public static func crossEntropy(logits: [Double], target: Int) -> Double {
        precondition(target >= 0 && target < logits.count, "target out of range")
        let m = logits.max()!
        var s = 0.0
        for z in logits { s += Foundation.exp(z - m) }
        // max(0, ...) removes a possible tiny negative from rounding.
        return Swift.max(0, (m - logits[target]) + Foundation.log(s))
    }

    /// Binary cross-entropy from a logit `z` with label `y` in `[0, 1]`:
    /// `max(z, 0) - z*y + log1p(e^-|z|)`, equal to
    /// `-[y log σ(z) + (1-y) log(1-σ(z))]` but finite for every finite `z`.
    /// Result in nats.
    @inline(__always)
    public static func binaryCrossEntropy(logit z: Double, label y: Double) -> Double {
        return Swift.max(z, 0) - z * y + Foundation.log1p(Foundation.exp(-Swift.abs(z)))
    }
}
