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
    /// A column whose spread is 0 or not finite (constant column, or no rows)
    /// gets scale 1, so scaling never divides by 0.
    public static func fit(_ method: Scaling, on data: Matrix) -> FeatureScaler {
        let n = data.rows, p = data.columns
        var scaler = identity(features: p)
        guard n > 0, method != .none else { return scaler }
        for j in 0..<p {
            var shift = 0.0, spread = 0.0
            switch method {
            case .standard:
                var sum = 0.0
                for i in 0..<n { sum += data.values[i * p + j] }
                let mean = sum / Double(n)
                var ss = 0.0
                for i in 0..<n { let d = data.values[i * p + j] - mean; ss += d * d }
                shift = mean
                spread = (ss / Double(n)).squareRoot()
            case .minmax:
                var lo = Double.infinity, hi = -Double.infinity
                for i in 0..<n { let v = data.values[i * p + j]; lo = min(lo, v); hi = max(hi, v) }
                shift = lo
                spread = hi - lo
            case .none:
                break
            }
            scaler.shift[j] = shift.isFinite ? shift : 0
            scaler.scale[j] = (spread.isFinite && spread > 0) ? spread : 1
        }
        return scaler
    }

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
