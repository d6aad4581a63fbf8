import Foundation

/// SplitMix64 (Steele, Lea & Flood 2014; Vigna's reference constants), used
/// only to expand a 64-bit seed into the xoshiro256** state.
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

/// xoshiro256** 1.0 (Blackman & Vigna 2018), seeded by four outputs of
/// ``SplitMix64``. The generator of every training run: it draws the initial
/// weights, then the Fisher-Yates shuffle of every epoch. Value type, no
/// global state, so runs are bit-reproducible on any thread.
public struct Xoshiro256StarStar: RandomNumberGenerator, Sendable {
    private var s0, s1, s2, s3: UInt64

    /// Seeds the 256-bit state from `seed` through SplitMix64 (never all zero).
    public init(seed: UInt64) {
        var sm = SplitMix64(seed: seed)
        s0 = sm.next(); s1 = sm.next(); s2 = sm.next(); s3 = sm.next()
    }

    /// Next 64 random bits.
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

    @inline(__always)
    private func rotl(_ x: UInt64, _ k: UInt64) -> UInt64 { (x << k) | (x >> (64 - k)) }

    /// Uniform double in `[0, 1)`: the top 53 bits times `2^-53`.
    public mutating func nextUniform() -> Double {
        Double(next() >> 11) * 0x1.0p-53
    }

    /// Uniform integer in `0..<bound` (Lemire's multiply-and-reject, unbiased).
    ///
    /// - Precondition: `bound > 0`.
    public mutating func nextInt(below bound: Int) -> Int {
        precondition(bound > 0, "bound must be positive")
        let b = UInt64(bound)
        var m = next().multipliedFullWidth(by: b)
        if m.low < b {
            let threshold = (0 &- b) % b
            while m.low < threshold { m = next().multipliedFullWidth(by: b) }
        }
        return Int(m.high)
    }

    /// Standard normal `N(0, 1)` by the Box-Muller transform
    /// `√(−2 ln u1) · cos(2π u2)`, `u1 ∈ (0, 1]`, `u2 ∈ [0, 1)`; one draw uses
    /// two uniforms (the sine partner is not kept, so there is no hidden state).
    public mutating func nextGaussian() -> Double {
        let u1 = 1 - nextUniform()
        let u2 = nextUniform()
        return (-2 * Foundation.log(u1)).squareRoot() * Foundation.cos(2 * Double.pi * u2)
    }

    /// Shuffles `indices` in place by Fisher-Yates (Durstenfeld): for `i` from
    /// `count − 1` down to 1, swap element `i` with a uniform `j ∈ 0...i`
    /// (from ``nextInt(below:)``).
    public mutating func shuffle(_ indices: inout [Int]) {
        indices.withUnsafeMutableBufferPointer { buffer in
            var i = buffer.count - 1
            while i > 0 {
                let j = nextInt(below: i + 1)
                let t = buffer[i]
                buffer[i] = buffer[j]
                buffer[j] = t
                i -= 1
            }
        }
    }
}
