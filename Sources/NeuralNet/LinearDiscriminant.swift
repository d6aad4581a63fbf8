import CBLAS
import Foundation

/// Linear discriminant analysis, the reference classifier with no hyperparameters that every
/// MLP configuration is compared with on the same rows.
///
/// Each class `k` is modelled as a Gaussian with its own mean `μ_k` and a covariance `Σ` shared
/// by all classes (pooled within-class, divisor `n − K`); a row goes to the class with the
/// largest discriminant `δ_k(x) = xᵀ Σ⁻¹ μ_k − ½ μ_kᵀ Σ⁻¹ μ_k + log π_k`, `π_k` the class's
/// share of the training rows (Fisher 1936; Hastie, Tibshirani & Friedman, *The Elements of
/// Statistical Learning*, 2nd ed., §4.3, eq. 4.10). A ridge of `10⁻⁶ · trace(Σ)/p` on the
/// diagonal keeps `Σ` invertible when a feature is constant or features are collinear (Digits'
/// blank border pixels). `Σ` is solved by Cholesky (LAPACK `dposv`), products by BLAS.
public struct LinearDiscriminant: Sendable {
    /// `p x K`: column `k` is `Σ⁻¹ μ_k`.
    public let coefficients: Matrix
    /// `K` constants `−½ μ_kᵀ Σ⁻¹ μ_k + log π_k`.
    public let intercepts: [Double]

    /// Fits the model.
    ///
    /// - Parameters:
    ///   - data: `n x p` raw features and `n` labels in `0..<classes`.
    ///   - classes: `K`, at least 2.
    /// - Throws: ``TrainingError/invalidData(_:)`` when a class has no row, there are no more rows
    ///   than classes, a value is not finite, or `Σ` cannot be factorised.
    public init(fitting data: LabeledData, classes: Int) throws {
        let n = data.features.rows, p = data.features.columns
        guard classes >= 2, n > classes else {
            throw TrainingError.invalidData("linear discriminant analysis needs more rows (\(n)) than classes (\(classes))")
        }
        guard data.features.values.allSatisfy(\.isFinite) else { throw TrainingError.invalidData("a feature value is not finite") }
        var counts = Array(repeating: 0, count: classes)
        var means = Array(repeating: 0.0, count: classes * p)
        for r in 0..<n {
            let k = data.labels[r]
            guard (0..<classes).contains(k) else { throw TrainingError.invalidData("label \(k) outside 0..<\(classes)") }
            counts[k] += 1
            for j in 0..<p { means[k * p + j] += data.features.values[r * p + j] }
        }
        if let empty = counts.firstIndex(of: 0) { throw TrainingError.invalidData("class \(empty) has no training row") }
        for k in 0..<classes { for j in 0..<p { means[k * p + j] /= Double(counts[k]) } }
        var centred = data.features.values
        for r in 0..<n { for j in 0..<p { centred[r * p + j] -= means[data.labels[r] * p + j] } }
        // Σ = X_cᵀ X_c / (n − K), p x p (symmetric: row- and column-major agree).
        var sigma = Array(repeating: 0.0, count: p * p)
        gemm(transA: true, transB: false, m: p, n: p, k: n, alpha: 1 / Double(n - classes), a: centred, lda: p,
             b: centred, ldb: p, beta: 0, c: &sigma, ldc: p)
        let trace = (0..<p).reduce(0.0) { $0 + sigma[$1 * p + $1] }
        let ridge = trace > 0 ? 1e-6 * trace / Double(p) : 1e-12
        for j in 0..<p { sigma[j * p + j] += ridge }
        // Solve Σ W = Mᵀ. Column-major, the right-hand side B (p x K, B[j, k] = μ_k[j]) is `means`
        // exactly as stored (K x p row-major), and so is the solution.
        var solution = means
        var info: Int32 = 0
        var order = Int32(p), columns = Int32(classes), leading = Int32(p)
        "L".withCString { uplo in dposv_(uplo, &order, &columns, &sigma, &leading, &solution, &leading, &info) }
        guard info == 0 else {
            throw TrainingError.invalidData("the pooled covariance is not positive definite (LAPACK dposv info \(info))")
        }
        var w = Array(repeating: 0.0, count: p * classes)
        var b = Array(repeating: 0.0, count: classes)
        for k in 0..<classes {
            var quadratic = 0.0
            for j in 0..<p {
                w[j * classes + k] = solution[k * p + j]
                quadratic += means[k * p + j] * solution[k * p + j]
            }
            b[k] = -0.5 * quadratic + log(Double(counts[k]) / Double(n))
        }
        coefficients = Matrix(rows: p, columns: classes, values: w)
        intercepts = b
    }

    /// The discriminants `δ_k(x)` of each row: `rows x K` from `rows x p` raw features.
    /// - Precondition: `features.columns == coefficients.rows`.
    public func discriminants(_ features: Matrix) -> Matrix {
        precondition(features.columns == coefficients.rows, "expected \(coefficients.rows) feature columns")
        let k = coefficients.columns
        var out = Matrix(rows: features.rows, columns: k, values: (0..<features.rows).flatMap { _ in intercepts })
        gemm(transA: false, transB: false, m: features.rows, n: k, k: features.columns, alpha: 1, a: features.values,
             lda: features.columns, b: coefficients.values, ldb: k, beta: 1, c: &out.values, ldc: k)
        return out
    }

    /// Posterior class probabilities under the model, `rows x K`: the softmax of the
    /// discriminants (ESL eq. 4.9 with the shared covariance).
    public func probabilities(_ features: Matrix) -> Matrix {
        var out = discriminants(features)
        let k = out.columns
        for r in 0..<out.rows {
            let row = out.values[(r * k)..<(r * k + k)]
            let top = row.max()!
            let exps = row.map { exp($0 - top) }
            let sum = exps.reduce(0, +)
            for j in 0..<k { out.values[r * k + j] = exps[j] / sum }
        }
        return out
    }
}
