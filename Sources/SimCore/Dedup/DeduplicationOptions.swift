/// How a ``Deduplicator`` decides that two documents are near-duplicates.
///
/// Defaults: word 5-grams, measure ``Measure/overlap`` at 0.8 (one document has at least 80% of
/// its shingles inside the other: reprints inside bigger pages count), verified
/// from signatures, banding chosen automatically with false-positive weight 0.1 and
/// false-negative weight 0.9.
///
/// The weights differ from ``BandingParameters``' neutral 0.5/0.5 (datasketch's default) on
/// purpose: every candidate is verified, so a false positive costs one O(k) comparison while a
/// false negative is a duplicate lost for good. At Jaccard 0.8 and k = 128 this picks b=14 r=9
/// (candidate probability 0.87 at J = 0.8, 0.13 at J = 0.6) instead of b=9 r=13 (0.40 and 0.01).
///
/// ```swift
/// var options = DeduplicationOptions()
/// options.measure = .jaccard          // classic near-duplicates at Jaccard ≥ 0.8
/// options.verification = .exact       // confirm candidates on shingle sets
/// ```
public struct DeduplicationOptions: Sendable, Hashable {
    /// The symmetric similarities a deduplicator clusters by.
    ///
    /// Directed containment |A ∩ B| / |A| (``SimilarityMeasure/containment``) is not one of them:
    /// clustering needs a symmetric measure, and the overlap coefficient is the larger of the two
    /// directed containments.
    public enum Measure: String, Sendable, Hashable, Codable, CaseIterable, CustomStringConvertible {
        /// |A ∩ B| / |A ∪ B|: the classic near-duplicate measure; served by ``MinHashLSH``.
        case jaccard
        /// The overlap coefficient |A ∩ B| / min(|A|, |B|): the smaller document's containment in
        /// the larger, so a reprint inside a bigger page counts; served by ``ContainmentIndex``.
        case overlap

        /// The same measure for exact comparisons (``ExactAllPairs``, ``SimilarityMeasure``).
        public var similarityMeasure: SimilarityMeasure {
            switch self {
            case .jaccard: .jaccard
            case .overlap: .overlap
            }
        }

        /// `jaccard` or `overlap`, as the command lines take it.
        public var description: String { rawValue }
    }

    /// How candidates from the index are confirmed.
    public enum Verification: String, Sendable, Hashable, Codable, CaseIterable {
        /// From the signatures (MinHash's Jaccard estimate; for containment, converted with the
        /// set sizes). Memory: k values per document.
        case estimated
        /// From the shingle sets, exactly. Memory: also 8 bytes per distinct shingle.
        case exact
    }

    /// How documents become shingles (default word 5-grams, seed 0).
    public var shingling = ShinglingOptions()
    /// The measure (default ``Measure/overlap``).
    public var measure: Measure = .overlap
    /// The similarity a pair must reach, in (0, 1] (default 0.8).
    ///
    /// **1 means exact duplicates**, under either measure: two documents are duplicates when
    /// their shingle sets are identical (the same normalized n-grams, whatever their order or
    /// repetition). Candidates are the documents whose whole signatures agree (one band of all
    /// k values: identical sets always have identical signatures, so none is missed) and each is
    /// confirmed on the shingle sets, which the engine then keeps whatever ``verification``
    /// says (8 bytes per distinct shingle). A subset is not a duplicate at 1, even though its
    /// overlap coefficient is 1.
    ///
    /// ```swift
    /// var options = DeduplicationOptions()
    /// options.threshold = 1        // identical shingle sets only
    /// ```
    public var threshold = 0.8
    /// How candidates are confirmed (default ``Verification/estimated``).
    public var verification: Verification = .estimated
    /// For Jaccard: b and r set by hand; `nil` (default) picks the optimum for ``threshold``.
    public var banding: BandingParameters?
    /// Bits of each signature value kept for estimated verification: 64 (default, the whole
    /// value), 16, 8 or 4 (``supportedVerificationBits``). Index keys always come from the whole
    /// signature; only the copy kept to verify candidates is truncated, from 8·k bytes per
    /// document (whole signatures of ``OnePermutationMinHash`` keep only their filled
    /// bins' values, and an 8-byte locator, and are densified again to verify, value for value)
    /// to 2·k, k or k/2 (1,024 to 256, 128 or 64 at k = 128; b-bit minwise hashing,
    /// two 4-bit lanes per byte), and its Jaccard estimate uses the b-bit estimator of Li and
    /// König, Ĵ = (P − 2⁻ᵇ) / (1 − 2⁻ᵇ) from the fraction P of lanes that agree. Its variance
    /// grows as bits shrink: two different minima agree in their low b bits with chance 2⁻ᵇ
    /// (1/65,536, 1/256, 1/16), which the estimator removes on average but not pair by pair (at
    /// k = 128 and J = 0.8 the standard deviation of the estimate is 0.0354 whole, 0.0354 at 16
    /// and 8 bits, 0.0368 at 4 bits: √(P(1 − P) / k) / (1 − 2⁻ᵇ) for independent lanes). An odd
    /// k is fine: the last word's unused lanes stay zero and are not counted. Under ``Verification/exact`` the signatures are never read, so any width gives the same
    /// verdicts.
    ///
    /// ```swift
    /// var options = DeduplicationOptions()
    /// options.measure = .jaccard
    /// options.verificationBits = 4      // 64 bytes of signature per document at k = 128
    /// ```
    public var verificationBits = 64
    /// The values ``verificationBits`` takes: 4, 8, 16 and 64.
    ///
    /// ```swift
    /// DeduplicationOptions.supportedVerificationBits.contains(3)   // false
    /// ```
    public static let supportedVerificationBits = [4, 8, 16, 64]
    /// Weight of false positives when choosing bandings (default 0.1).
    public var falsePositiveWeight = 0.1
    /// Weight of false negatives when choosing bandings (default 0.9).
    public var falseNegativeWeight = 0.9
    /// For containment: the deepest band prefix, rMax (default 4).
    public var maximumRowsPerBand = 4
    /// Worker threads for batch inserts (default: all cores).
    public var threads = Parallelism.defaultThreadCount

    /// The default options.
    public init() {}

    /// Whether the threshold asks for exact duplicates (``threshold`` 1): identical shingle sets.
    public var findsExactDuplicates: Bool { threshold >= 1 }

    /// Whether the measure is served by the containment index (exact duplicates never are).
    var usesContainment: Bool { measure == .overlap && !findsExactDuplicates }

    /// Whether documents' shingle sets are kept and compared: exact verification, or exact
    /// duplicates.
    var comparesShingleSets: Bool { verification == .exact || findsExactDuplicates }
}
