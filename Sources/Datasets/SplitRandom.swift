/// The random number generator behind every split: xoshiro256** (Blackman and Vigna) with its
/// 256-bit state filled from the seed by SplitMix64, as its authors recommend.
///
/// It is defined bit for bit, so a seed gives the same split on every platform and Swift
/// version (unlike `SystemRandomNumberGenerator` or the standard library's `shuffle(using:)`,
/// whose algorithm is not promised).
public struct SplitRandom: RandomNumberGenerator, Sendable {
    private var state: (UInt64, UInt64, UInt64, UInt64)

    /// SplitMix64: advances `seed` and returns the next output.
    public static func splitMix64(_ seed: inout UInt64) -> UInt64 {
        seed &+= 0x9E37_79B9_7F4A_7C15
        var z = seed
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// Creates a generator whose state is four SplitMix64 outputs of `seed`.
    public init(seed: UInt64) {
        var s = seed
        state = (Self.splitMix64(&s), Self.splitMix64(&s), Self.splitMix64(&s), Self.splitMix64(&s))
    }

    private static func rotl(_ x: UInt64, _ k: UInt64) -> UInt64 {
        (x << k) | (x >> (64 - k))
    }

    /// The next 64 random bits (xoshiro256**).
    public mutating func next() -> UInt64 {
        let result = Self.rotl(state.1 &* 5, 7) &* 9
        let t = state.1 << 17
        state.2 ^= state.0
        state.3 ^= state.1
        state.1 ^= state.2
        state.0 ^= state.3
        state.2 ^= t
        state.3 = Self.rotl(state.3, 45)
        return result
    }

    /// A uniform integer in `0..<bound` by rejection sampling (no modulo bias).
    /// - Precondition: `bound > 0`.
    public mutating func below(_ bound: UInt64) -> UInt64 {
        precondition(bound > 0, "bound must be positive")
        let limit = UInt64.max - UInt64.max % bound
        while true {
            let value = next()
            if value < limit { return value % bound }
        }
    }

    /// Shuffles `items` in place by Fisher-Yates: for `i` from the last index down to 1, swap
    /// item `i` with item `below(i + 1)`.
    public mutating func shuffle<T>(_ items: inout [T]) {
        guard items.count > 1 else { return }
        for i in stride(from: items.count - 1, to: 0, by: -1) {
            let j = Int(below(UInt64(i + 1)))
            items.swapAt(i, j)
        }
    }
}
