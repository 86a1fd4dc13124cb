/// Vectorized comparisons of signatures, and the estimators built on them.
///
/// ```swift
/// let a: [UInt64] = [1, 2, 3, 4]
/// let b: [UInt64] = [1, 9, 3, 9]
/// a.withUnsafeBufferPointer { a in
///     b.withUnsafeBufferPointer { b in SignatureEstimators.equalCount(a, b) }   // 2
/// }
/// ```
public enum SignatureEstimators {
    /// How many positions hold equal values in `a` and `b` (eight lanes at a time).
    ///
    /// - Parameters:
    ///   - a: Values.
    ///   - b: As many values.
    /// - Returns: The number of `i` with `a[i] == b[i]`.
    /// - Complexity: O(n).
    public static func equalCount(_ a: UnsafeBufferPointer<UInt64>, _ b: UnsafeBufferPointer<UInt64>) -> Int {
        precondition(a.count == b.count, "signatures must have the same signatureLength")
        return _equalCount(a.baseAddress, b.baseAddress, a.count)
    }

    /// The number of bits that differ between `a` and `b` (XOR and popcount per word).
    ///
    /// - Parameters:
    ///   - a: Bit vectors as words.
    ///   - b: As many words.
    /// - Returns: The Hamming distance.
    /// - Complexity: O(n).
    public static func hammingDistance(_ a: UnsafeBufferPointer<UInt64>, _ b: UnsafeBufferPointer<UInt64>) -> Int {
        precondition(a.count == b.count, "bit vectors must have the same signatureLength")
        var distance = 0
        for i in 0..<a.count { distance &+= (a[i] ^ b[i]).nonzeroBitCount }
        return distance
    }

    /// Containment |A ∩ B| / |A| from a Jaccard estimate and the two set sizes.
    ///
    /// C = J(|A| + |B|) / ((1 + J)|A|), clamped to 0...1 (exact when J is exact).
    ///
    /// ```swift
    /// SignatureEstimators.containment(fromJaccard: 0.5, sizeOfA: 10, sizeOfB: 20)   // 1.0
    /// ```
    ///
    /// - Parameters:
    ///   - jaccard: The (estimated) Jaccard similarity of A and B.
    ///   - sizeOfA: |A|; 0 gives 0.
    ///   - sizeOfB: |B|.
    /// - Returns: The containment of A in B.
    public static func containment(fromJaccard jaccard: Double, sizeOfA: Int, sizeOfB: Int) -> Double {
        guard sizeOfA > 0, jaccard > 0 else { return 0 }
        let value = jaccard * Double(sizeOfA + sizeOfB) / ((1 + jaccard) * Double(sizeOfA))
        return Swift.min(1, Swift.max(0, value))
    }

    /// Li and König's b-bit estimator for large universes: J = (P − 2^−b) / (1 − 2^−b), where P is
    /// the fraction of positions whose lowest b bits agree (chance agreement is 2^−b).
    ///
    /// Not clamped, so that it stays unbiased: with few matches it can dip below 0.
    ///
    /// - Parameters:
    ///   - matchFraction: P, the fraction of equal b-bit values.
    ///   - bits: b, from 1 to 64.
    /// - Returns: The Jaccard estimate.
    public static func bBitJaccard(matchFraction: Double, bits: Int) -> Double {
        precondition((1...64).contains(bits), "bits must be in 1...64")
        let chance = bits >= 64 ? 0 : 1 / Double(UInt64(1) << UInt64(bits))
        return (matchFraction - chance) / (1 - chance)
    }
}

/// Equal positions among `count` values at `a` and `b`, eight at a time.
///
/// - SAFETY: callers pass base addresses of buffers holding at least `count` values each
///   (`nil` only when `count` is 0).
func _equalCount(_ a: UnsafePointer<UInt64>?, _ b: UnsafePointer<UInt64>?, _ count: Int) -> Int {
    guard count > 0, let a, let b else { return 0 }
    let raw = (UnsafeRawPointer(a), UnsafeRawPointer(b))
    var lanes = SIMD8<UInt64>()
    var i = 0
    while i + 8 <= count {
        // SAFETY: i + 8 <= count, so both 64-byte loads lie inside the buffers.
        let x = raw.0.loadUnaligned(fromByteOffset: i &* 8, as: SIMD8<UInt64>.self)
        let y = raw.1.loadUnaligned(fromByteOffset: i &* 8, as: SIMD8<UInt64>.self)
        lanes &+= SIMD8<UInt64>(repeating: 1).replacing(with: 0, where: x .!= y)
        i &+= 8
    }
    var equal = Int(lanes.wrappedSum())
    while i < count {
        if a[i] == b[i] { equal &+= 1 }
        i &+= 1
    }
    return equal
}
