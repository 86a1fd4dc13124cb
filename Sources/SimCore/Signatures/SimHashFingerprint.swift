/// A SimHash fingerprint: 64 or 128 bits whose Hamming distance to another tracks the angle
/// between the two documents' weighted shingle vectors.
///
/// **Byte layout**: `low` then (for 128 bits) `high`, each a little-endian `UInt64`; bit j of the
/// fingerprint is bit j of `low` for j < 64 and bit j − 64 of `high` above.
///
/// ```swift
/// let a = SimHashFingerprint(low: 0b1011, high: 0, bitCount: 64)
/// let b = SimHashFingerprint(low: 0b0001, high: 0, bitCount: 64)
/// a.hammingDistance(to: b)   // 2
/// ```
public struct SimHashFingerprint: Sendable, Hashable {
    /// Bits 0...63.
    public let low: UInt64
    /// Bits 64...127 (0 for a 64-bit fingerprint).
    public let high: UInt64
    /// 64 or 128.
    public let bitCount: Int

    /// Creates a fingerprint from its words.
    ///
    /// - Parameters:
    ///   - low: Bits 0...63.
    ///   - high: Bits 64...127; must be 0 when `bitCount` is 64.
    ///   - bitCount: 64 or 128.
    public init(low: UInt64, high: UInt64 = 0, bitCount: Int = 64) {
        precondition(bitCount == 64 || bitCount == 128, "a SimHash has 64 or 128 bits")
        precondition(bitCount == 128 || high == 0, "a 64-bit SimHash has no high word")
        self.low = low
        self.high = high
        self.bitCount = bitCount
    }

    /// The number of differing bits (popcount of the XOR).
    ///
    /// - Parameter other: A fingerprint of the same width.
    /// - Returns: 0...bitCount.
    public func hammingDistance(to other: SimHashFingerprint) -> Int {
        precondition(bitCount == other.bitCount, "fingerprints must have the same width")
        return (low ^ other.low).nonzeroBitCount + (high ^ other.high).nonzeroBitCount
    }

    /// The cosine similarity of the weighted shingle vectors the Hamming distance implies:
    /// cos(π · distance / bitCount) (Charikar 2002).
    ///
    /// - Parameter other: A fingerprint of the same width from the same ``SimHash``.
    /// - Returns: The estimate, in −1...1.
    public func estimatedCosine(with other: SimHashFingerprint) -> Double {
        let fraction = Double(hammingDistance(to: other)) / Double(bitCount)
        return _cosPi(fraction)
    }
}

/// cos(π·x) for x in 0...1, by a fixed series, so the estimate is the same on every machine
/// whatever its libm.
func _cosPi(_ x: Double) -> Double {
    // Reduce to t in [-1/2, 1/2]: cos(πx) = -cos(π(x - 1)) for x > 1/2.
    let (t, sign) = x > 0.5 ? (x - 1, -1.0) : (x, 1.0)
    let angle = Double.pi * t
    let square = angle * angle
    var term = 1.0
    var sum = 1.0
    for n in stride(from: 2, through: 30, by: 2) {
        term *= -square / Double((n - 1) * n)
        sum += term
    }
    return sign * sum
}
