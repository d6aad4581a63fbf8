/// The mean and population standard deviation of a column of numbers, computed so that
/// neither overflows nor underflows for any finite column: the one formula behind the feature
/// scaler's stored shift and scale (NeuralNet's `FeatureScaler`) and `exp data show`'s
/// summary (Datasets' `DatasetSummary`).
///
/// The sums run over the values divided by `u`, the power of two with `largest / u` in
/// `[1, 2)`, as LAPACK's `dlassq` and BLAS's `dnrm2` scale before squaring (Anderson et al.,
/// LAPACK Users' Guide, 3rd ed., 1999; Blue, "A portable Fortran program to find the Euclidean
/// norm of a vector", ACM TOMS 4(1), 1978):
///
///     mean = (Σ x_i/u) / n · u,    sd = sqrt(Σ (x_i/u − mean/u)² / n) · u
///
/// Dividing by a power of two is exact, so ordinary columns get bit for bit the results of
/// the plain two-pass formula, a column near 1e300 does not overflow (its squares are near 1),
/// one near 1e-300 does not underflow, and multiplying a column by 2^k multiplies its mean and
/// standard deviation by exactly 2^k.
public struct ColumnMoments: Sendable, Equatable {
    /// The arithmetic mean, in the column's units; 0 for no values.
    public var mean: Double
    /// The population standard deviation (divided by n), in the column's units; 0 for no values.
    public var standardDeviation: Double
    /// The largest magnitude max |x_i|; 0 for no values.
    public var largestMagnitude: Double

    /// The moments of `values` (any number of finite values). A value that is not finite gives
    /// a mean and standard deviation that are not finite.
    public init<Values: Collection>(_ values: Values) where Values.Element == Double {
        let largest = values.reduce(0.0) { max($0, abs($1)) }
        largestMagnitude = largest
        guard !values.isEmpty, largest > 0 else {
            mean = 0
            standardDeviation = 0
            return
        }
        guard largest.isFinite else {
            mean = .nan
            standardDeviation = .nan
            return
        }
        // 2^e with largest / 2^e in [1, 2): exact to divide and multiply by.
        let unit = Double(sign: .plus, exponent: largest.exponent, significand: 1)
        let n = Double(values.count)
        var sum = 0.0
        for v in values { sum += v / unit }
        let scaledMean = sum / n
        var squares = 0.0
        for v in values { let d = v / unit - scaledMean; squares += d * d }
        mean = scaledMean * unit
        standardDeviation = (squares / n).squareRoot() * unit
    }
}
