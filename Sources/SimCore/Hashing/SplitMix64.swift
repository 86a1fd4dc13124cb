/// SplitMix64 (Steele, Lea and Flood 2014): the one pseudo-random generator SimCore derives
/// every seeded parameter from (hash-function coefficients, permutations, generated corpora).
///
/// Fixed arithmetic on `UInt64`, so the same seed gives the same stream on every machine; it is
/// never `Hasher`, `SystemRandomNumberGenerator` or anything seeded per process.
///
/// ```swift
/// var generator = SplitMix64(seed: 0)
/// generator.next()   // 0xE220A8397B1DCDAF
/// ```
public struct SplitMix64: RandomNumberGenerator, Sendable {
    /// The generator's state; advancing by the golden-ratio constant each step.
    public private(set) var state: UInt64

    /// Creates a generator whose stream is fixed by `seed`.
    public init(seed: UInt64) {
        state = seed
    }

    /// The next 64 pseudo-random bits.
    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
