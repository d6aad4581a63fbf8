/// The three matrix products of training (the forward pass, BP2 and BP4), by OpenBLAS for large
/// layers and by register-blocked `SIMD4<Double>` loops for small ones.
///
/// Why our own loops for small layers: OpenBLAS's `cblas_dgemm` takes its work buffer from a pool
/// guarded by one process-wide mutex on every call (`blas_memory_alloc`) and packs both operands.
/// The layers of tabular data (4 features, 8 units, 3 classes) are far too small for that to pay,
/// and in a sweep whose jobs train in parallel the jobs' calls queue on that mutex (OpenBLAS issues
/// #478 and #2712): measured in docs/benchmarks.md ("Lever: small-layer products").
///
/// Every element is summed in ascending order of the shared index from zero, one rounding per
/// product and per addition (no FMA), so a result depends on its operands alone: the same bits
/// at any `--jobs`. A product is "small" when both the shared length and the output width are at
/// most ``limit`` (``isSmall(_:_:)``); the threshold is measured in the benchmark.
enum SmallProducts {
    /// The widest layer (inputs or units) whose products the loops here compute.
    static let limit = 32

    /// True when a layer of `nIn` inputs and `nOut` units has its products computed here.
    @inline(__always)
    static func isSmall(_ nIn: Int, _ nOut: Int) -> Bool { nIn <= limit && nOut <= limit }

    /// `n` rounded up to a multiple of 4: the row stride of a packed operand.
    @inline(__always)
    static func stride(_ n: Int) -> Int { (n + 3) & ~3 }

    /// Doubles of scratch the products of a network of layer widths `sizes` need for batches of
    /// up to `capacity` rows: a packed weight matrix or a packed batch of inputs, whichever is larger.
    static func scratchCount(sizes: [Int], capacity: Int) -> Int {
        var count = 0
        for i in 0..<(sizes.count - 1) where isSmall(sizes[i], sizes[i + 1]) {
            let nIn = sizes[i], nOut = sizes[i + 1]
            count = max(count, nIn * stride(nOut), nOut * stride(nIn), capacity * stride(nIn))
        }
        return count
    }

    /// Copies `rows x columns` (row-major, no gaps) into `packed` with row stride
    /// ``stride(_:)``, the padding zero; `transposed` copies the transpose (`columns x rows`).
    @inline(__always)
    static func pack(_ m: UnsafePointer<Double>, rows: Int, columns: Int, transposed: Bool,
                     into packed: UnsafeMutablePointer<Double>) {
        if transposed {
            let s = stride(rows)
            for c in 0..<columns {
                let row = packed + c * s
                for r in 0..<rows { row[r] = m[r * columns + c] }
                for r in rows..<s { row[r] = 0 }
            }
        } else {
            let s = stride(columns)
            for r in 0..<rows {
                let row = packed + r * s
                row.update(from: m + r * columns, count: columns)
                for c in columns..<s { row[c] = 0 }
            }
        }
    }

    /// `C (m x n) = A (m x k) · P` (or `C +=` when `accumulate`), `P` `k x n` packed with row stride
    /// `stride(n)`. Eight (then four) columns of a row of `C` at a time are summed in registers.
    @inline(__always)
    static func rowsTimesPacked(m: Int, n: Int, k: Int, a: UnsafePointer<Double>, p: UnsafePointer<Double>,
                                c: UnsafeMutablePointer<Double>, accumulate: Bool) {
        let ps = stride(n)
        for r in 0..<m {
            let ar = a + r * k, cr = c + r * n
            var j = 0
            while j + 8 <= n {
                var sum0 = SIMD4<Double>(), sum1 = SIMD4<Double>()
                var pj = UnsafeRawPointer(p + j)
                for kk in 0..<k {
                    let x = SIMD4(repeating: ar[kk])
                    sum0 += x * pj.loadUnaligned(as: SIMD4<Double>.self)
                    sum1 += x * pj.loadUnaligned(fromByteOffset: 32, as: SIMD4<Double>.self)
                    pj += ps * 8
                }
                store(sum0, to: cr + j, count: 4, accumulate: accumulate)
                store(sum1, to: cr + j + 4, count: 4, accumulate: accumulate)
                j += 8
            }
            while j < n {
                var sum = SIMD4<Double>()
                var pj = UnsafeRawPointer(p + j)
                for kk in 0..<k {
                    sum += ar[kk] * pj.loadUnaligned(as: SIMD4<Double>.self)
                    pj += ps * 8
                }
                store(sum, to: cr + j, count: min(4, n - j), accumulate: accumulate)
                j += 4
            }
        }
    }

    /// Writes (or adds) the first `count` lanes of `v` at `to`.
    @inline(__always)
    static func store(_ v: SIMD4<Double>, to c: UnsafeMutablePointer<Double>, count: Int, accumulate: Bool) {
        if count == 4 {
            let raw = UnsafeMutableRawPointer(c)
            let old = accumulate ? raw.loadUnaligned(as: SIMD4<Double>.self) : SIMD4<Double>()
            raw.storeBytes(of: accumulate ? old + v : v, as: SIMD4<Double>.self)
        } else {
            // Constant lane indices: each lane is read from its register, not from memory.
            c[0] = accumulate ? c[0] + v[0] : v[0]
            if count > 1 { c[1] = accumulate ? c[1] + v[1] : v[1] }
            if count > 2 { c[2] = accumulate ? c[2] + v[2] : v[2] }
        }
    }

    /// Forward pass: `Z (rows x nOut) += A (rows x nIn) · Wᵀ`, `W` `nOut x nIn`; each element
    /// `Z + Σ_k A·W` (the sum rounded, then added to `Z` once). `scratch`: ``scratchCount(sizes:capacity:)``.
    static func forward(rows: Int, nIn: Int, nOut: Int, a: UnsafePointer<Double>, w: UnsafePointer<Double>,
                        z: UnsafeMutablePointer<Double>, scratch: UnsafeMutablePointer<Double>) {
        timesWeights(rows: rows, nIn: nIn, nOut: nOut, a: a, w: w, transposed: true, c: z, scratch: scratch)
    }

    /// BP2's product: `D (rows x nIn) = Δ (rows x nOut) · W`, `W` `nOut x nIn`; each element
    /// `Σ_j Δ·W`, in ascending `j`.
    static func backward(rows: Int, nIn: Int, nOut: Int, delta: UnsafePointer<Double>, w: UnsafePointer<Double>,
                         d: UnsafeMutablePointer<Double>, scratch: UnsafeMutablePointer<Double>) {
        timesWeights(rows: rows, nIn: nIn, nOut: nOut, a: delta, w: w, transposed: false, c: d, scratch: scratch)
    }

    /// `C += A · Wᵀ` (`transposed`: the forward pass, `A` `rows x nIn`, `C` `rows x nOut`) or
    /// `C = A · W` (BP2, `A` `rows x nOut`, `C` `rows x nIn`), `W` `nOut x nIn`.
    private static func timesWeights(rows: Int, nIn: Int, nOut: Int, a: UnsafePointer<Double>, w: UnsafePointer<Double>,
                                     transposed: Bool, c: UnsafeMutablePointer<Double>, scratch: UnsafeMutablePointer<Double>) {
        let (k, n) = transposed ? (nIn, nOut) : (nOut, nIn)
        guard isSmall(nIn, nOut) else {
            gemm(transA: false, transB: transposed, m: rows, n: n, k: k, alpha: 1, a: a, lda: k, b: w, ldb: nIn,
                 beta: transposed ? 1 : 0, c: c, ldc: n)
            return
        }
        pack(w, rows: nOut, columns: nIn, transposed: transposed, into: scratch)
        rowsTimesPacked(m: rows, n: n, k: k, a: a, p: scratch, c: c, accumulate: transposed)
    }

    /// BP4's product: `G (nOut x nIn) = alpha · Δᵀ · A`, `Δ` `rows x nOut`, `A` `rows x nIn`; each
    /// element `alpha · Σ_r Δ·A`, the sum in ascending `r` (the rows of the mini-batch).
    static func weightGradient(rows: Int, nIn: Int, nOut: Int, alpha: Double, delta: UnsafePointer<Double>,
                               a: UnsafePointer<Double>, g: UnsafeMutablePointer<Double>,
                               scratch: UnsafeMutablePointer<Double>) {
        guard isSmall(nIn, nOut) else {
            gemm(transA: true, transB: false, m: nOut, n: nIn, k: rows, alpha: alpha, a: delta, lda: nOut, b: a, ldb: nIn,
                 beta: 0, c: g, ldc: nIn)
            return
        }
        pack(a, rows: rows, columns: nIn, transposed: false, into: scratch)
        let ps = stride(nIn)
        for j in 0..<nOut {
            let gj = g + j * nIn
            var k = 0
            while k + 8 <= nIn {
                var sum0 = SIMD4<Double>(), sum1 = SIMD4<Double>()
                var pk = UnsafeRawPointer(scratch + k), dj = delta + j
                for _ in 0..<rows {
                    let x = SIMD4(repeating: dj.pointee)
                    sum0 += x * pk.loadUnaligned(as: SIMD4<Double>.self)
                    sum1 += x * pk.loadUnaligned(fromByteOffset: 32, as: SIMD4<Double>.self)
                    pk += ps * 8
                    dj += nOut
                }
                store(alpha * sum0, to: gj + k, count: 4, accumulate: false)
                store(alpha * sum1, to: gj + k + 4, count: 4, accumulate: false)
                k += 8
            }
            while k < nIn {
                var sum = SIMD4<Double>()
                var pk = UnsafePointer(scratch) + k, dj = delta + j
                for _ in 0..<rows {
                    sum += dj.pointee * UnsafeRawPointer(pk).loadUnaligned(as: SIMD4<Double>.self)
                    pk += ps
                    dj += nOut
                }
                store(alpha * sum, to: gj + k, count: min(4, nIn - k), accumulate: false)
                k += 4
            }
        }
    }
}
