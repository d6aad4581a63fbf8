import Determinism
import Foundation

/// Per-feature affine scaling `x' = (x − shift) / scale`, fitted on the
/// training rows only and stored in the ``Model`` (tensors `scaler.shift` and
/// `scaler.scale`).
public struct FeatureScaler: Sendable, Equatable {
    /// One value per feature column, in feature units.
    public var shift: [Double]
    /// One positive value per feature column, in feature units; never 0.
    public var scale: [Double]

    /// Creates a scaler from explicit vectors of equal length.
    public init(shift: [Double], scale: [Double]) {
        precondition(shift.count == scale.count, "shift and scale must have equal length")
        self.shift = shift
        self.scale = scale
    }

    /// The identity scaler for `features` columns.
    public static func identity(features: Int) -> FeatureScaler {
        FeatureScaler(shift: Array(repeating: 0, count: features), scale: Array(repeating: 1, count: features))
    }

    /// Fits a scaler to the columns of `data` (`rows x features`).
    ///
    /// - `.standard`: shift = column mean, scale = population standard deviation.
    /// - `.minmax`: shift = column minimum, scale = maximum − minimum.
    /// - `.none`: shift 0, scale 1.
    ///
    /// The mean and standard deviation are Determinism's ``Determinism/ColumnMoments``: sums
    /// over the column divided by a power of two near its largest magnitude, as LAPACK's
    /// `dlassq` and BLAS's `dnrm2` scale before squaring, so a column near 1e300 does not
    /// overflow and one near 1e-300 does not underflow. Dividing by a power of two is exact,
    /// so ordinary columns get bit for bit the mean and deviation of the plain formula, and
    /// multiplying a column by 2^k multiplies its shift and scale by exactly 2^k (min-max
    /// scaling divides by the same power of two).
    ///
    /// A column is constant when its spread is at most ``constantTolerance`` times its largest
    /// magnitude (rounding alone gives a column of equal values a standard deviation of about
    /// 1e-16 of its size); a constant column, a column of zeros, a spread that is not finite,
    /// and no rows all give scale 1, so scaling never divides by 0 or magnifies rounding noise.
    public static func fit(_ method: Scaling, on data: Matrix) -> FeatureScaler {
        let n = data.rows, p = data.columns
        var scaler = identity(features: p)
        guard n > 0, method != .none else { return scaler }
        for j in 0..<p {
            let column = (0..<n).map { data.values[$0 * p + j] }
            let largest = column.reduce(0.0) { max($0, abs($1)) }
            guard largest.isFinite, largest > 0 else { continue }
            var shift = 0.0, spread = 0.0
            switch method {
            case .standard:
                let moments = ColumnMoments(column)
                shift = moments.mean
                spread = moments.standardDeviation
            case .minmax:
                // 2^e with largest / 2^e in [1, 2): exact to divide and multiply by.
                let unit = Double(sign: .plus, exponent: largest.exponent, significand: 1)
                let lo = column.min()!, hi = column.max()!
                shift = lo
                spread = (hi / unit - lo / unit) * unit
            case .none:
                break
            }
            scaler.shift[j] = shift.isFinite ? shift : 0
            let constant = !(spread > constantTolerance * largest)
            scaler.scale[j] = (spread.isFinite && !constant) ? spread : 1
        }
        return scaler
    }

    /// The relative spread (spread / largest |x|) at or below which a column counts as
    /// constant in ``fit(_:on:)``: 1e-12, about 4,500 times the rounding error of one
    /// operation (2.2e-16), far below any real measurement's relative precision.
    public static let constantTolerance = 1e-12

    /// Returns `(x − shift) / scale` for every row of `data` (`rows x features`).
    ///
    /// - Precondition: `data.columns == shift.count`.
    public func transform(_ data: Matrix) -> Matrix {
        precondition(data.columns == shift.count, "scaler has \(shift.count) features, data has \(data.columns)")
        var out = data
        let p = data.columns
        for i in 0..<data.rows {
            for j in 0..<p { out.values[i * p + j] = (data.values[i * p + j] - shift[j]) / scale[j] }
        }
        return out
    }
}
