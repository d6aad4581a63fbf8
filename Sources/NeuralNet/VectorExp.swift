/// The exponential function for the activations, the softmax and the losses of this module,
/// four lanes at a time with Swift `SIMD4<Double>` (two SSE2 registers in the baseline x86-64
/// build, see docs/architecture.md, "CPU baseline").
///
/// The method is Cephes' `exp` (Moshier, *Methods and Programs for Mathematical Functions*,
/// 1989; `cephes/double/exp.c`):
///
/// 1. Range reduction: `n = round(x log₂e)` (to nearest, ties to even) and
///    `r = x − n ln 2`, with `ln 2 = C1 + C2` split so that `n C1` is exact; `|r| ≤ ½ ln 2`.
/// 2. A (3, 3) Padé form on the reduced range: `e^r = 1 + 2 r P(r²) / (Q(r²) − r P(r²))`
///    with Cephes' coefficients `P` (degree 2) and `Q` (degree 3).
/// 3. Reconstruction `e^x = e^r 2^n`, where `2^n` is built from its bits in two factors
///    `2^⌊n/2⌋ 2^(n−⌊n/2⌋)`, so results near the overflow threshold and subnormal results come
///    out right without a special path.
///
/// Accuracy (tested against `Foundation.exp` on 10⁷ points of `[−745, 709.78]` plus the edges,
/// `NumericsTests`): relative error below 1e-15 wherever `e^x` is a normal number (Cephes
/// states a peak of 2.2e-16 on ±708); an absolute error of at most one subnormal unit where the
/// result is subnormal (`x < −708.4`); `+∞` above 709.79, `0` below −745.2, `NaN` for `NaN`.
///
/// Only multiplications, additions and one division, no fused multiply-add: each lane's
/// result is the same whatever vector width the compiler generates, so a build for a newer
/// CPU gives the same bits as the baseline build.
enum VectorExp {
    private static let log2e = 1.4426950408889634073599
    private static let c1 = 6.93145751953125e-1
    private static let c2 = 1.42860682030941723212e-6
    private static let p0 = 1.26177193074810590878e-4
    private static let p1 = 3.02994407707441961300e-2
    private static let p2 = 9.99999999999999999910e-1
    private static let q0 = 3.00198505138664455042e-6
    private static let q1 = 2.52448340349684104192e-3
    private static let q2 = 2.27265548208155028766e-1
    private static let q3 = 2.00000000000000000009e0
    /// `1.5 × 2^52`: adding it rounds a double of magnitude below `2^51` to an integer (to
    /// nearest, ties to even), which then stands in the low bits of the sum's pattern.
    private static let roundingShift = 6755399441055744.0
    /// Beyond these the result is `+∞` or `0`; inside them `n` stays in `[−1076, 1025]`.
    private static let upperLimit = 709.79
    private static let lowerLimit = -745.2

    /// `e^x` lane by lane.
    @inline(__always)
    static func exp(_ x: SIMD4<Double>) -> SIMD4<Double> {
        var xc = x
        xc.replace(with: upperLimit, where: x .> upperLimit)
        xc.replace(with: lowerLimit, where: x .< lowerLimit)
        let shifted = xc * log2e + roundingShift
        let nd = shifted - roundingShift
        let n = unsafeBitCast(shifted, to: SIMD4<Int64>.self) &- Int64(bitPattern: roundingShift.bitPattern)
        let r = (xc - nd * c1) - nd * c2
        let rr = r * r
        let px = r * ((p0 * rr + p1) * rr + p2)
        let qx = ((q0 * rr + q1) * rr + q2) * rr + q3
        let er = 1 + 2 * (px / (qx - px))
        let half = n &>> 1
        let scale1 = unsafeBitCast((half &+ 1023) &<< 52, to: SIMD4<Double>.self)
        let scale2 = unsafeBitCast((n &- half &+ 1023) &<< 52, to: SIMD4<Double>.self)
        var result = er * scale1 * scale2
        result.replace(with: .infinity, where: x .> upperLimit)
        result.replace(with: 0, where: x .< lowerLimit)
        result.replace(with: x, where: x .!= x)
        return result
    }

    /// `e^x` of one value: the same arithmetic as the four-lane form, so a value gives the same
    /// bits whichever of the two computed it.
    @inline(__always)
    static func exp(_ x: Double) -> Double {
        exp(SIMD4(repeating: x))[0]
    }

    /// `out[i] = e^(x[i])` for `i in 0..<count`; `out` may be `x` itself.
    @inline(__always)
    static func apply(_ x: UnsafePointer<Double>, _ out: UnsafeMutablePointer<Double>, count: Int) {
        var i = 0
        while i + 4 <= count {
            store(exp(load(x + i)), out + i)
            i += 4
        }
        while i < count {
            out[i] = exp(x[i])
            i += 1
        }
    }

    /// Four values from `p[0..<available]`, zeros in the missing lanes.
    @inline(__always)
    static func loadPartial(_ p: UnsafePointer<Double>, _ available: Int) -> SIMD4<Double> {
        if available >= 4 { return load(p) }
        var v = SIMD4<Double>()
        for lane in 0..<available { v[lane] = p[lane] }
        return v
    }

    /// Stores the first `count` lanes of `v` (all four when `count >= 4`).
    @inline(__always)
    static func storePartial(_ v: SIMD4<Double>, _ p: UnsafeMutablePointer<Double>, _ count: Int) {
        if count >= 4 { store(v, p); return }
        for lane in 0..<count { p[lane] = v[lane] }
    }

    @inline(__always)
    static func load(_ p: UnsafePointer<Double>) -> SIMD4<Double> {
        UnsafeRawPointer(p).loadUnaligned(as: SIMD4<Double>.self)
    }

    @inline(__always)
    static func store(_ v: SIMD4<Double>, _ p: UnsafeMutablePointer<Double>) {
        UnsafeMutableRawPointer(p).storeBytes(of: v, as: SIMD4<Double>.self)
    }
}
