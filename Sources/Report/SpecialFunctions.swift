import Foundation

/// The special functions behind the report's exact intervals and tests.
enum SpecialFunctions {
    /// The regularized incomplete beta function `I_x(a, b)` for `a, b > 0` and `x` in [0, 1].
    ///
    /// Evaluated by its continued fraction with the modified Lentz algorithm, using the symmetry
    /// `I_x(a, b) = 1 − I_{1−x}(b, a)` where the fraction converges slowly (Press et al.,
    /// *Numerical Recipes*, 3rd ed., §6.4; Abramowitz & Stegun 26.5.8). Relative error about 1e-14.
    static func regularizedIncompleteBeta(_ x: Double, a: Double, b: Double) -> Double {
        precondition(a > 0 && b > 0, "the incomplete beta function needs a, b > 0")
        if x <= 0 { return 0 }
        if x >= 1 { return 1 }
        let logFront = lgamma(a + b) - lgamma(a) - lgamma(b) + a * log(x) + b * log1p(-x)
        let front = exp(logFront)
        if x < (a + 1) / (a + b + 2) {
            return front * betaContinuedFraction(x, a: a, b: b) / a
        }
        return 1 - front * betaContinuedFraction(1 - x, a: b, b: a) / b
    }

    /// The continued fraction of `I_x(a, b)` (A&S 26.5.8), by the modified Lentz method.
    private static func betaContinuedFraction(_ x: Double, a: Double, b: Double) -> Double {
        let tiny = 1e-300, epsilon = 1e-16
        let qab = a + b, qap = a + 1, qam = a - 1
        var c = 1.0
        var d = 1 - qab * x / qap
        if abs(d) < tiny { d = tiny }
        d = 1 / d
        var h = d
        for m in 1...10_000 {
            let m = Double(m), m2 = 2 * m
            var aa = m * (b - m) * x / ((qam + m2) * (a + m2))
            d = 1 + aa * d
            if abs(d) < tiny { d = tiny }
            c = 1 + aa / c
            if abs(c) < tiny { c = tiny }
            d = 1 / d
            h *= d * c
            aa = -(a + m) * (qab + m) * x / ((a + m2) * (qap + m2))
            d = 1 + aa * d
            if abs(d) < tiny { d = tiny }
            c = 1 + aa / c
            if abs(c) < tiny { c = tiny }
            d = 1 / d
            let delta = d * c
            h *= delta
            if abs(delta - 1) < epsilon { break }
        }
        return h
    }

    /// The `p` quantile of the Beta(a, b) distribution: the `x` with `I_x(a, b) = p`, found by
    /// bisection (`I_x` increases in `x`), to about 1e-15.
    static func betaQuantile(_ p: Double, a: Double, b: Double) -> Double {
        if p <= 0 { return 0 }
        if p >= 1 { return 1 }
        var low = 0.0, high = 1.0
        for _ in 0..<200 {
            let middle = (low + high) / 2
            if middle == low || middle == high { break }
            if regularizedIncompleteBeta(middle, a: a, b: b) < p { low = middle } else { high = middle }
        }
        return (low + high) / 2
    }

    /// `P(X ≤ k)` for `X ~ Binomial(n, p)`, exactly: `1 − I_p(k + 1, n − k)` (A&S 26.5.24).
    static func binomialCDF(_ k: Int, trials n: Int, probability p: Double) -> Double {
        if k < 0 { return 0 }
        if k >= n { return 1 }
        if p <= 0 { return 1 }
        if p >= 1 { return 0 }
        return regularizedIncompleteBeta(1 - p, a: Double(n - k), b: Double(k + 1))
    }

    /// The two-sided p-value of Student's t statistic `t` with `df` degrees of freedom:
    /// `P(|T| ≥ |t|) = I_{df/(df+t²)}(df/2, 1/2)`.
    static func studentTTwoSided(_ t: Double, degreesOfFreedom df: Double) -> Double {
        guard t.isFinite else { return t.isNaN ? .nan : 0 }
        return regularizedIncompleteBeta(df / (df + t * t), a: df / 2, b: 0.5)
    }
}
