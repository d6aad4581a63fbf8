import CBLAS

/// Controls of the BLAS library (OpenBLAS) that performs every matrix product
/// of this module.
public enum BLAS {
    /// Restricts OpenBLAS to one thread (`openblas_set_num_threads(1)`).
    ///
    /// This is process-wide OpenBLAS state. Call it once at start-up when the
    /// caller runs several trainings in parallel itself: the networks here are
    /// small, so OpenBLAS threads would only compete with the caller's threads.
    public static func useSingleThread() {
        openblas_set_num_threads(1)
    }
}

// Thin wrappers over CBLAS, row-major. Names follow the operation they compute.

/// `C (m x n) = alpha * op(A) * op(B) + beta * C`, with `op(A)` `m x k` and `op(B)` `k x n`.
@inline(__always)
func gemm(transA: Bool, transB: Bool, m: Int, n: Int, k: Int, alpha: Double,
          a: UnsafePointer<Double>, lda: Int, b: UnsafePointer<Double>, ldb: Int,
          beta: Double, c: UnsafeMutablePointer<Double>, ldc: Int) {
    cblas_dgemm(CblasRowMajor, transA ? CblasTrans : CblasNoTrans, transB ? CblasTrans : CblasNoTrans,
                Int32(m), Int32(n), Int32(k), alpha, a, Int32(lda), b, Int32(ldb), beta, c, Int32(ldc))
}

/// `y += alpha * x` over `count` elements.
@inline(__always)
func axpy(count: Int, alpha: Double, x: UnsafePointer<Double>, y: UnsafeMutablePointer<Double>) {
    cblas_daxpy(Int32(count), alpha, x, 1, y, 1)
}
