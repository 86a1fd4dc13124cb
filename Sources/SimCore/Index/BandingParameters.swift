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
    /// - Complexity: O(k log k) integrals of 128 intervals each (about 1 ms at k = 128) the first
    ///   time in a process; the choice is remembered, so asking again with the same inputs is a
    ///   dictionary lookup.
    public static func optimal(
        threshold: Double, signatureLength: Int,
        falsePositiveWeight: Double = 0.5, falseNegativeWeight: Double = 0.5
    ) -> BandingParameters {
        precondition(threshold > 0 && threshold <= 1, "threshold must be in (0, 1]")
        precondition(signatureLength >= 1, "signature length must be at least 1")
        precondition(falsePositiveWeight >= 0 && falseNegativeWeight >= 0, "weights must not be negative")
        let inputs = _OptimalBandings.Inputs(
            threshold: threshold, signatureLength: signatureLength, falsePositiveWeight: falsePositiveWeight,
            falseNegativeWeight: falseNegativeWeight)
        return _OptimalBandings.shared.banding(for: inputs) {
            search(
                threshold: threshold, signatureLength: signatureLength, falsePositiveWeight: falsePositiveWeight,
                falseNegativeWeight: falseNegativeWeight)
        }
    }

    /// The search behind ``optimal(threshold:signatureLength:falsePositiveWeight:falseNegativeWeight:)``,
    /// every time (no cache): every b·r ≤ k, ties to the fewest bands, then the fewest rows.
    ///
    /// Each area is ``integrate(from:to:intervals:_:)`` of the S-curve, computed here with the
    /// same operations in the same order (so the same bits), except that sʳ at each point of the
    /// two grids is computed once per r rather than once per (b, r): half the powers.
    static func search(
        threshold: Double, signatureLength: Int, falsePositiveWeight: Double, falseNegativeWeight: Double
    ) -> BandingParameters {
        let below = _SimpsonGrid(from: 0, to: threshold)
        let above = _SimpsonGrid(from: threshold, to: 1)
        let belowAgreeing = below.powers(upTo: signatureLength)
        let aboveAgreeing = above.powers(upTo: signatureLength)
        var best = BandingParameters(bandCount: 1, rowsPerBand: 1)
        var bestError = Double.infinity
        for bands in 1...signatureLength {
            for rows in 1...(signatureLength / bands) {
                // falsePositiveArea: ∫₀ᵗ P(s) ds; falseNegativeArea: ∫ₜ¹ (1 − P(s)) ds.
                let falsePositives = below.integrate(agreeing: belowAgreeing, rows: rows) { 1 - _power(1 - $0, bands) }
                let falseNegatives = above.integrate(agreeing: aboveAgreeing, rows: rows) { 1 - (1 - _power(1 - $0, bands)) }
                let error = falsePositiveWeight * falsePositives + falseNegativeWeight * falseNegatives
                if error < bestError - 1e-15 {
                    best = BandingParameters(bandCount: bands, rowsPerBand: rows)
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
    static func integrate(from a: Double, to b: Double, intervals: Int = _SimpsonGrid.intervals, _ f: (Double) -> Double) -> Double {
        guard b > a else { return 0 }
        let h = (b - a) / Double(intervals)
        return _SimpsonGrid.rule(intervals: intervals, width: h) { f(_SimpsonGrid.point($0, from: a, to: b, width: h, intervals: intervals)) }
    }
}

/// The points at which ``BandingParameters/integrate(from:to:intervals:_:)`` evaluates its
/// integrand on [a, b] (128 intervals), and the rule both use: the search's grids compute sʳ at
/// each point once per r, and give the same bits as the integral.
struct _SimpsonGrid {
    /// Point i of the 128 intervals, a through b; empty when b ≤ a (the integral is 0).
    let points: [Double]
    /// The interval width.
    let width: Double
    static let intervals = 128

    init(from a: Double, to b: Double) {
        guard b > a else {
            points = []
            width = 0
            return
        }
        let h = (b - a) / Double(Self.intervals)
        width = h
        points = (0...Self.intervals).map { Self.point($0, from: a, to: b, width: h, intervals: Self.intervals) }
    }

    /// Point `i` of `intervals` intervals of width `h` on [a, b]: a + i·h, and b itself at the end.
    @inline(__always)
    static func point(_ i: Int, from a: Double, to b: Double, width h: Double, intervals: Int) -> Double {
        i == intervals ? b : a + Double(i) * h
    }

    /// Composite Simpson's rule of `value(i)`, the integrand at point i of `intervals` (even)
    /// intervals of width `h`: the end points first, then the interior ones in order.
    @inline(__always)
    static func rule(intervals: Int, width h: Double, _ value: (Int) -> Double) -> Double {
        var sum = value(0) + value(intervals)
        for i in 1..<intervals {
            sum += value(i) * (i % 2 == 1 ? 4 : 2)
        }
        return sum * h / 3
    }

    /// sʳ (s clamped to 0...1) for r = 1...`maximumRows` at every point: row r − 1 of the result.
    func powers(upTo maximumRows: Int) -> [[Double]] {
        (1...maximumRows).map { rows in points.map { _power(Swift.min(Swift.max($0, 0), 1), rows) } }
    }

    /// Simpson's rule over the grid of `f(sʳ)`, sʳ taken from `agreeing` (``powers(upTo:)``):
    /// the value ``BandingParameters/integrate(from:to:intervals:_:)`` gives for `f(sʳ)`, bit
    /// for bit.
    @inline(__always)
    func integrate(agreeing: [[Double]], rows: Int, _ f: (Double) -> Double) -> Double {
        guard !points.isEmpty else { return 0 }
        let values = agreeing[rows - 1]
        return Self.rule(intervals: Self.intervals, width: width) { f(values[$0]) }
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
