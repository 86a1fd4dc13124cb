/// The MinHash-family schemes by name: the one factory the command lines, the C interface and
/// the benchmarks share, so that `oph` means the same scheme everywhere.
///
/// ```swift
/// let scheme = SignatureSchemeKind.oph.make(signatureLength: 128, seed: 7)   // OnePermutationMinHash(signatureLength: 128, seed: 7)
/// SignatureSchemeKind(rawValue: "minhash-b1")?.isBandable                    // true
/// ```
public enum SignatureSchemeKind: String, CaseIterable, Sendable, Hashable, Codable {
    /// One-permutation MinHash with optimal densification (``OnePermutationMinHash``): the
    /// fastest, and the default everywhere.
    case oph
    /// Classic k-permutation MinHash (``MinHash``).
    case minhash
    /// SuperMinHash (``SuperMinHash``): lowest variance at the same k.
    case superminhash
    /// Classic MinHash cut to one bit per value (``BBitMinHash``, b = 1).
    case minhashB1 = "minhash-b1"

    /// Whether the scheme's values are full minima that LSH banding can key on (every scheme
    /// but the b-bit one, whose one-bit values collide by chance half of the time).
    public var isBandable: Bool { self != .minhashB1 }

    /// Creates the scheme.
    ///
    /// - Parameters:
    ///   - signatureLength: k, the values per signature.
    ///   - seed: The scheme's seed (it derives its keys from it with ``SplitMix64``).
    /// - Returns: The scheme, as an existential that callers open with a `some SignatureScheme`
    ///   parameter.
    public func make(signatureLength: Int, seed: UInt64) -> any SignatureScheme {
        switch self {
        case .oph: OnePermutationMinHash(signatureLength: signatureLength, seed: seed)
        case .minhash: MinHash(signatureLength: signatureLength, seed: seed)
        case .superminhash: SuperMinHash(signatureLength: signatureLength, seed: seed)
        case .minhashB1: BBitMinHash(MinHash(signatureLength: signatureLength, seed: seed), bits: 1)
        }
    }
}
