import Foundation

/// Inference on accuracies measured on a finite number of independent rows: exact binomial
/// intervals, the chance that a model of a given true accuracy scores at least as well, and
/// paired tests of two classifiers on the same rows.
///
/// Every figure here is at the level of independent rows (or folds), never of seed × fold runs:
/// runs that share their test rows are not independent evidence.
public enum AccuracyInference {
    /// The exact (Clopper–Pearson 1934) two-sided interval for a proportion with `correct`
    /// successes in `total` trials: the `α/2` quantile of Beta(k, n − k + 1) and the `1 − α/2`
    /// quantile of Beta(k + 1, n − k). `0 of n` has lower bound 0 and `n of n` upper bound 1, so
    /// the interval is finite and inside [0, 1] in every case. Nil for `total` = 0.
    ///
    /// - Parameters:
    ///   - correct: rows classified correctly, 0...total.
    ///   - total: independent rows.
    ///   - level: the confidence level, e.g. 0.95.
    public static func clopperPearson(correct: Int, total: Int, level: Double = 0.95) -> ConfidenceInterval? {
        guard total > 0, (0...total).contains(correct) else { return nil }
        let alpha = 1 - level
        let k = Double(correct), n = Double(total)
        let lower = correct == 0 ? 0 : SpecialFunctions.betaQuantile(alpha / 2, a: k, b: n - k + 1)
        let upper = correct == total ? 1 : SpecialFunctions.betaQuantile(1 - alpha / 2, a: k + 1, b: n - k)
        return ConfidenceInterval(lower: lower, upper: upper, level: level)
    }

    /// The Wilson (1927) score interval for a proportion at 95%: centre
    /// `(p̂ + z²/2n) / (1 + z²/n)`, half-width `z √(p̂(1 − p̂)/n + z²/4n²) / (1 + z²/n)`,
    /// `z = 1.959964`. Nil for `total` = 0.
    public static func wilson95(correct: Int, total: Int) -> ConfidenceInterval? {
        guard total > 0, (0...total).contains(correct) else { return nil }
        let z = 1.959963984540054, n = Double(total), p = Double(correct) / n
        let denominator = 1 + z * z / n
        let centre = (p + z * z / (2 * n)) / denominator
        let half = z * (p * (1 - p) / n + z * z / (4 * n * n)).squareRoot() / denominator
        return ConfidenceInterval(lower: max(0, centre - half), upper: min(1, centre + half), level: 0.95)
    }

    /// The probability that a classifier whose true accuracy is `accuracy` classifies at least
    /// `correct` of `total` independent rows correctly: `P(X ≥ k)`, `X ~ Binomial(n, accuracy)`.
    ///
    /// A large value means the observed score is what such a classifier commonly gets: e.g.
    /// 29 of 30 against a true accuracy of 96.1% gives 0.67, so 29/30 is no evidence of beating
    /// 96.1%.
    public static func probabilityOfAtLeast(correct: Int, total: Int, accuracy: Double) -> Double {
        1 - SpecialFunctions.binomialCDF(correct - 1, trials: total, probability: accuracy)
    }

    /// The probability that a classifier whose true accuracy is `accuracy` classifies at most
    /// `correct` of `total` independent rows correctly: `P(X ≤ k)`, `X ~ Binomial(n, accuracy)`.
    /// A small value means the observed score is unusually low for such a classifier.
    public static func probabilityOfAtMost(correct: Int, total: Int, accuracy: Double) -> Double {
        SpecialFunctions.binomialCDF(correct, trials: total, probability: accuracy)
    }

    /// McNemar's exact test (McNemar 1947; the exact binomial form, Edwards 1948) of two
    /// classifiers scored on the same rows: of the rows exactly one of them gets right,
    /// `onlyFirst` were right by the first only and `onlySecond` by the second only. Under the
    /// null hypothesis of equal accuracy each such row is a fair coin, so the two-sided p-value is
    /// `min(1, 2 · P(X ≤ min(b, c)))` with `X ~ Binomial(b + c, ½)`; 1 when no row differs.
    public static func mcNemarExact(onlyFirst b: Int, onlySecond c: Int) -> Double {
        let discordant = b + c
        guard discordant > 0 else { return 1 }
        return min(1, 2 * SpecialFunctions.binomialCDF(min(b, c), trials: discordant, probability: 0.5))
    }

    /// The corrected resampled t-test of Nadeau & Bengio (2003, *Machine Learning* 52:239–281)
    /// for a difference in accuracy between two models over `J` train/test resamplings
    /// (k folds × r repeats): `t = d̄ / √((1/J + n_test/n_train) · s²)` with `J − 1` degrees of
    /// freedom, where `d` are the per-resample differences and `s²` their sample variance. The
    /// correction term `n_test/n_train` accounts for the overlap of training sets, which makes the
    /// naive t-test far too confident. Nil for fewer than two differences.
    ///
    /// - Returns: the mean difference, the statistic and its two-sided p-value (1 when every
    ///   difference is 0; 0 when they are equal and non-zero).
    public static func correctedResampledTTest(differences: [Double], testRows: Int, trainingRows: Int)
        -> (meanDifference: Double, t: Double, p: Double)?
    {
        guard differences.count > 1, trainingRows > 0 else { return nil }
        let j = Double(differences.count)
        let mean = differences.reduce(0, +) / j
        let variance = differences.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / (j - 1)
        let scale = ((1 / j + Double(testRows) / Double(trainingRows)) * variance).squareRoot()
        if scale == 0 { return (mean, mean == 0 ? 0 : .infinity * mean.sign.signum, mean == 0 ? 1 : 0) }
        let t = mean / scale
        return (mean, t, SpecialFunctions.studentTTwoSided(t, degreesOfFreedom: j - 1))
    }
}

private extension FloatingPointSign {
    var signum: Double { self == .minus ? -1 : 1 }
}
