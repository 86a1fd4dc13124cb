/// How an LSH index cuts a signature of k values into b bands of r rows.
///
/// Two documents become candidates when all r rows of at least one band agree. For MinHash,
/// rows agree with probability s (the documents' Jaccard similarity), so the probability of
/// becoming candidates is the S-curve `P(s) = 1 − (1 − sʳ)ᵇ`.
///
/// ``optimal(threshold:signatureLength:falsePositiveWeight:falseNegativeWeight:)`` picks (b, r)
/// as datasketch's `MinHashLSH` does: among all b·r ≤ k it minimizes
/// `w_fp · ∫₀ᵗ P(s) ds + w_fn · ∫ₜ¹ (1 − P(s)) ds`, the weighted false-positive area below the
/// threshold t and false-negative area above it (composite Simpson's rule, 128 intervals).
///
/// ```swift
/// let banding = BandingParameters.optimal(threshold: 0.8, signatureLength: 128)
/// banding.candidateProbability(similarity: 0.9)   // close to 1
/// ```
public struct BandingParameters: Sendable, Hashable, Codable, CustomStringConvertible {
    /// The number of bands, b.
    public let bandCount: Int
    /// The number of signature values per band, r.
    public let rowsPerBand: Int

    /// Banding set by hand.
    ///
    /// - Parameters:
    ///   - bandCount: b, at least 1.
    ///   - rowsPerBand: r, at least 1.
    public init(bandCount: Int, rowsPerBand: Int) {
        precondition(bandCount >= 1 && rowsPerBand >= 1, "bands and rows must be at least 1")
        self.bandCount = bandCount
        self.rowsPerBand = rowsPerBand
    }

    /// The number of signature values the bands use, b·r.
    public var signatureValuesUsed: Int { bandCount * rowsPerBand }

    /// `b=… r=…`.
    public var description: String { "b=\(bandCount) r=\(rowsPerBand)" }

    /// The probability that two documents of similarity `similarity` share at least one band:
    /// `1 − (1 − sʳ)ᵇ`.
    ///
    /// - Parameter similarity: The probability that one row agrees (Jaccard for MinHash).
    /// - Returns: A probability in 0...1.
    public func candidateProbability(similarity: Double) -> Double {
        Self.candidateProbability(similarity, bands: bandCount, rows: rowsPerBand)
    }

    /// The false-positive area `∫₀ᵗ P(s) ds`: how much of the S-curve lies below the threshold.
    ///
    /// - Parameter threshold: t in 0...1.
    /// - Returns: The area, in 0...t.
    public func falsePositiveArea(threshold: Double) -> Double {
        Self.integrate(from: 0, to: threshold) { candidateProbability(similarity: $0) }
    }

    /// The false-negative area `∫ₜ¹ (1 − P(s)) ds`: how much of the S-curve is missing above
    /// the threshold.
    ///
    /// - Parameter threshold: t in 0...1.
    /// - Returns: The area, in 0...(1 − t).
    public func falseNegativeArea(threshold: Double) -> Double {
        Self.integrate(from: threshold, to: 1) { 1 - candidateProbability(similarity: $0) }
    }

    /// The banding with b·r ≤ `signatureLength` that minimizes the weighted false-positive and
    /// false-negative areas at `threshold`.
    ///
    /// Ties go to the fewest bands, then the fewest rows, so the result is the same everywhere.
    ///
    /// - Parameters:
    ///   - threshold: The similarity that should separate candidates from the rest, in (0, 1];
    ///     at 1 (exact duplicates) the false-negative area is 0 and the optimum is one band of k
    ///     rows.
    ///   - signatureLength: k, the values per signature.
    ///   - falsePositiveWeight: Weight of the false-positive area (default 0.5).
    ///   - falseNegativeWeight: Weight of the false-negative area (default 0.5).
    /// - Returns: The banding.
    /// - Complexity: O(k log k) integrals of 128 intervals each.
    public static func optimal(
        threshold: Double, signatureLength: Int,
        falsePositiveWeight: Double = 0.5, falseNegativeWeight: Double = 0.5
    ) -> BandingParameters {
        precondition(threshold > 0 && threshold <= 1, "threshold must be in (0, 1]")
        precondition(signatureLength >= 1, "signature length must be at least 1")
        precondition(falsePositiveWeight >= 0 && falseNegativeWeight >= 0, "weights must not be negative")
        var best = BandingParameters(bandCount: 1, rowsPerBand: 1)
        var bestError = Double.infinity
        for bands in 1...signatureLength {
            for rows in 1...(signatureLength / bands) {
                let candidate = BandingParameters(bandCount: bands, rowsPerBand: rows)
                let error = falsePositiveWeight * candidate.falsePositiveArea(threshold: threshold)
                    + falseNegativeWeight * candidate.falseNegativeArea(threshold: threshold)
                if error < bestError - 1e-15 {
                    best = candidate
                    bestError = error
                }
            }
        }
        return best
    }

    @inline(__always)
    static func candidateProbability(_ s: Double, bands: Int, rows: Int) -> Double {
        let agreeing = _power(Swift.min(Swift.max(s, 0), 1), rows)
        return 1 - _power(1 - agreeing, bands)
    }

    /// Composite Simpson's rule with `intervals` (even) intervals.
    static func integrate(from a: Double, to b: Double, intervals: Int = 128, _ f: (Double) -> Double) -> Double {
        guard b > a else { return 0 }
        let h = (b - a) / Double(intervals)
        var sum = f(a) + f(b)
        for i in 1..<intervals {
            sum += f(a + Double(i) * h) * (i % 2 == 1 ? 4 : 2)
        }
        return sum * h / 3
    }
}

/// `x` to a non-negative integer power, by squaring (exact for 0 and 1, no libm).
@inline(__always)
func _power(_ x: Double, _ exponent: Int) -> Double {
    var result = 1.0
    var base = x
    var e = exponent
    while e > 0 {
        if e & 1 == 1 { result *= base }
        base *= base
        e >>= 1
    }
    return result
}
