import ArgumentParser
import SimCore

/// The signature schemes `simdedup` offers (those whose values band with ``BandKey``).
///
/// ```swift
/// let scheme = SchemeKind.oph.make(length: 128, seed: 7)   // OnePermutationMinHash(length: 128, seed: 7)
/// ```
public enum SchemeKind: String, CaseIterable, ExpressibleByArgument, Sendable {
    /// One-permutation MinHash with optimal densification (the default; fastest).
    case oph
    /// Classic k-permutation MinHash.
    case minhash
    /// SuperMinHash.
    case superminhash

    /// Creates the scheme.
    ///
    /// - Parameters:
    ///   - length: The signature length k.
    ///   - seed: The scheme's seed (it derives its keys from it with ``SplitMix64``).
    /// - Returns: The scheme, as an existential that callers open with a `some SignatureScheme` parameter.
    public func make(length: Int, seed: UInt64) -> any SignatureScheme {
        switch self {
        case .oph: OnePermutationMinHash(length: length, seed: seed)
        case .minhash: MinHash(length: length, seed: seed)
        case .superminhash: SuperMinHash(length: length, seed: seed)
        }
    }
}
