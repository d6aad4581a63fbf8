import Foundation

/// A two-sided confidence interval for a mean.
public struct ConfidenceInterval: Sendable, Equatable {
    /// The lower bound.
    public var lower: Double
    /// The upper bound.
    public var upper: Double
    /// The confidence level, e.g. 0.95.
    public var level: Double

    /// An interval from `lower` to `upper` at `level`.
    public init(lower: Double, upper: Double, level: Double) {
        self.lower = lower
        self.upper = upper
        self.level = level
    }
}

/// Summary statistics over a handful of runs.
public enum Statistics {
    /// The arithmetic mean, or nil for no values.
    public static func mean(_ values: [Double]) -> Double? {
        guard !values.isEmpty else { return nil }
        return values.reduce(0, +) / Double(values.count)
    }

    /// The sample standard deviation (divisor n − 1), or nil for fewer than two values.
    public static func sampleStandardDeviation(_ values: [Double]) -> Double? {
        guard values.count > 1, let m = mean(values) else { return nil }
        let squares = values.reduce(0) { $0 + ($1 - m) * ($1 - m) }
        return (squares / Double(values.count - 1)).squareRoot()
    }

    /// Two-sided 97.5% quantiles of Student's t distribution for 1 to 30 degrees of freedom.
    static let t975: [Double] = [
        12.706204736, 4.302652730, 3.182446305, 2.776445105, 2.570581836, 2.446911851, 2.364624252,
        2.306004135, 2.262157163, 2.228138852, 2.200985160, 2.178812830, 2.160368656, 2.144786688,
        2.131449546, 2.119905299, 2.109815578, 2.100922040, 2.093024054, 2.085963447, 2.079613845,
        2.073873068, 2.068657610, 2.063898562, 2.059538553, 2.055529439, 2.051830516, 2.048407142,
        2.045229642, 2.042272456,
    ]

    /// The 0.975 quantile of Student's t distribution with `degreesOfFreedom` (at least 1): the
    /// multiplier of a two-sided 95% interval.
    ///
    /// Exact to nine digits from a table up to 30 degrees of freedom; above that, the
    /// Cornish–Fisher expansion around the normal quantile (error below 1e-6).
    public static func studentT975(degreesOfFreedom df: Int) -> Double {
        precondition(df >= 1, "Student t needs at least one degree of freedom")
        if df <= t975.count { return t975[df - 1] }
        let z = 1.959963984540054
        let n = Double(df)
        let z3 = z * z * z, z5 = z3 * z * z, z7 = z5 * z * z, z9 = z7 * z * z
        let g1 = (z3 + z) / 4
        let g2 = (5 * z5 + 16 * z3 + 3 * z) / 96
        let g3 = (3 * z7 + 19 * z5 + 17 * z3 - 15 * z) / 384
        let g4 = (79 * z9 + 776 * z7 + 1482 * z5 - 1920 * z3 - 945 * z) / 92160
        return z + g1 / n + g2 / (n * n) + g3 / (n * n * n) + g4 / (n * n * n * n)
    }

    /// The 95% Student t interval for the mean of `count` values with this mean and sample
    /// standard deviation: mean ± t(0.975, count − 1) · std / √count. Nil for fewer than two values.
    public static func confidenceInterval95(mean: Double, standardDeviation: Double, count: Int) -> ConfidenceInterval? {
        guard count > 1 else { return nil }
        let half = studentT975(degreesOfFreedom: count - 1) * standardDeviation / Double(count).squareRoot()
        return ConfidenceInterval(lower: mean - half, upper: mean + half, level: 0.95)
    }

    /// The 95% Student t interval for the mean of `values`; nil for fewer than two values.
    public static func confidenceInterval95(_ values: [Double]) -> ConfidenceInterval? {
        guard let m = mean(values), let s = sampleStandardDeviation(values) else { return nil }
        return confidenceInterval95(mean: m, standardDeviation: s, count: values.count)
    }
}
