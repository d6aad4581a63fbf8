import Foundation

/// SplitMix64 (Steele, Lea & Flood 2014, with Vigna's reference constants), used to expand a
/// 64-bit seed into the 256-bit state of ``Xoshiro256StarStar``.
public struct SplitMix64: RandomNumberGenerator, Sendable {
    private var state: UInt64

    /// Starts the sequence at `seed`.
    public init(seed: UInt64) { state = seed }

    /// Next 64 random bits.
    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

/// xoshiro256** 1.0 (Blackman & Vigna 2018), its state four outputs of ``SplitMix64`` from the
/// seed, as its authors recommend. The one generator of the project: training runs draw their
/// initial weights and every epoch's shuffle from it (seeded by the run's seed), splits their
/// shuffles (seeded by the split seed).
///
/// Every output is defined bit for bit, so a seed gives the same results on every platform and
/// Swift version (unlike `SystemRandomNumberGenerator` or the standard library's
/// `shuffle(using:)`, whose algorithms are not promised). Value type, no global state.
///
/// Training and splits have always drawn bounded integers by different methods, and stored
/// results depend on both, so both are kept: ``nextIntByMultiplyShift(below:)`` (training) and
/// ``nextIntByModulo(below:)`` (splits); ``shuffle(_:by:)`` takes the method to use.
public struct Xoshiro256StarStar: RandomNumberGenerator, Sendable {
    @usableFromInline var s0, s1, s2, s3: UInt64

    /// Seeds the 256-bit state from `seed` through SplitMix64 (never all zero).
    public init(seed: UInt64) {
        var splitMix = SplitMix64(seed: seed)
        s0 = splitMix.next(); s1 = splitMix.next(); s2 = splitMix.next(); s3 = splitMix.next()
    }

    /// Next 64 random bits.
    @inlinable
    public mutating func next() -> UInt64 {
        let result = rotl(s1 &* 5, 7) &* 9
        let t = s1 << 17
        s2 ^= s0
        s3 ^= s1
        s1 ^= s2
        s0 ^= s3
        s2 ^= t
        s3 = rotl(s3, 45)
        return result
    }

    @inlinable @inline(__always)
    func rotl(_ x: UInt64, _ k: UInt64) -> UInt64 { (x << k) | (x >> (64 - k)) }

    /// Uniform double in `[0, 1)`: the top 53 bits times `2^-53`.
    @inlinable
    public mutating func nextUniform() -> Double {
        Double(next() >> 11) * 0x1.0p-53
    }

    /// Standard normal `N(0, 1)` by the Box-Muller transform
    /// `√(−2 ln u1) · cos(2π u2)`, `u1 ∈ (0, 1]`, `u2 ∈ [0, 1)`; one draw uses
    /// two uniforms (the sine partner is not kept, so there is no hidden state).
    public mutating func nextGaussian() -> Double {
        let u1 = 1 - nextUniform()
        let u2 = nextUniform()
        return (-2 * Foundation.log(u1)).squareRoot() * Foundation.cos(2 * Double.pi * u2)
    }

    /// Uniform integer in `0..<bound` by Lemire's multiply-shift (2019): the high 64 bits of
    /// `next() × bound`, drawing again while the low 64 bits fall in the biased part
    /// (`< 2^64 mod bound`). Unbiased. The method of training runs.
    ///
    /// - Precondition: `bound > 0`.
    @inlinable
    public mutating func nextIntByMultiplyShift(below bound: Int) -> Int {
        precondition(bound > 0, "bound must be positive")
        let b = UInt64(bound)
        var m = next().multipliedFullWidth(by: b)
        if m.low < b {
            let threshold = (0 &- b) % b
            while m.low < threshold { m = next().multipliedFullWidth(by: b) }
        }
        return Int(m.high)
    }

    /// Uniform integer in `0..<bound` by rejection then modulo: draws until `next()` is below
    /// the largest multiple of `bound` that fits (`UInt64.max − UInt64.max mod bound`), then
    /// returns it modulo `bound`. Unbiased. The method of splits.
    ///
    /// - Precondition: `bound > 0`.
    @inlinable
    public mutating func nextIntByModulo(below bound: UInt64) -> UInt64 {
        precondition(bound > 0, "bound must be positive")
        let limit = UInt64.max - UInt64.max % bound
        while true {
            let value = next()
            if value < limit { return value % bound }
        }
    }

    /// How ``shuffle(_:by:)`` draws its indices.
    public enum BoundedIntegers: Sendable {
        /// ``Xoshiro256StarStar/nextIntByMultiplyShift(below:)`` (training).
        case multiplyShift
        /// ``Xoshiro256StarStar/nextIntByModulo(below:)`` (splits).
        case modulo
    }

    /// Shuffles `items` in place by Fisher-Yates (Durstenfeld): for `i` from `count − 1` down to
    /// 1, swap item `i` with item `j`, a uniform draw in `0...i` by `method`.
    @inlinable
    public mutating func shuffle<T>(_ items: inout [T], by method: BoundedIntegers) {
        items.withUnsafeMutableBufferPointer { buffer in
            var i = buffer.count - 1
            while i > 0 {
                let j = switch method {
                case .multiplyShift: nextIntByMultiplyShift(below: i + 1)
                case .modulo: Int(nextIntByModulo(below: UInt64(i + 1)))
                }
                buffer.swapAt(i, j)
                i -= 1
            }
        }
    }
}
