extension Xoshiro256StarStar {
    /// The generator's 256-bit state as four words `[s0, s1, s2, s3]` (Blackman & Vigna 2018's
    /// `s[0]...s[3]`), so that a stored generator continues the same sequence
    /// (``init(state:)``): a training checkpoint keeps the shuffle order going.
    public var state: [UInt64] { [s0, s1, s2, s3] }

    /// Restores a generator from ``state``; `nil` unless `state` is four words, not all zero
    /// (xoshiro's one forbidden state).
    public init?(state: [UInt64]) {
        guard state.count == 4, state.contains(where: { $0 != 0 }) else { return nil }
        self.init(seed: 0)
        s0 = state[0]; s1 = state[1]; s2 = state[2]; s3 = state[3]
    }
}
