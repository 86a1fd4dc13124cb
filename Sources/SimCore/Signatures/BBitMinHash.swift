/// b-bit MinHash (Li and König 2010): any MinHash scheme's values cut to their lowest b bits,
/// with the estimator corrected for chance matches.
///
/// Two documents' b-bit values agree with probability P = J + (1 − J)·2^−b when the low bits of
/// the full values are uniform (true for ``MinHash``, ``OnePermutationMinHash`` and
/// ``SuperMinHash``), so J = (P − 2^−b) / (1 − 2^−b). Signing returns the masked values unpacked
/// (one per `UInt64`) so that every ``SignatureScheme`` API works on them; store them packed with
/// ``BBitSignatureMatrix`` (k·b/8 bytes per document).
///
/// **Values**: `base value & (2^b − 1)`; an empty document's values are all `2^b − 1`.
///
/// ```swift
/// let scheme = BBitMinHash(OnePermutationMinHash(signatureLength: 256), bits: 4)
/// scheme.name   // "oph-b4"
/// ```
public struct BBitMinHash<Base: SignatureScheme>: SignatureScheme {
    /// The full-width scheme.
    public let base: Base
    /// b: 1, 2, 4, 8 or 16.
    public let bits: Int
    /// The base scheme's k.
    public var signatureLength: Int { base.signatureLength }
    /// The base scheme's seed.
    public var seed: UInt64 { base.seed }
    /// The base scheme's name and `-b` bits, e.g. `minhash-b1`.
    public var name: String { "\(base.name)-b\(bits)" }

    /// Wraps `base`, keeping `bits` bits per value.
    ///
    /// - Parameters:
    ///   - base: A MinHash scheme whose values have uniform low bits.
    ///   - bits: b, one of 1, 2, 4, 8, 16.
    public init(_ base: Base, bits: Int) {
        precondition(BBitSignatureMatrix.supportedBits.contains(bits), "bits must be 1, 2, 4, 8 or 16")
        self.base = base
        self.bits = bits
    }

    /// Signs with the base scheme and keeps the lowest ``bits`` bits of each value.
    ///
    /// - Parameters:
    ///   - hashes: Shingle hashes, any order, repeats allowed.
    ///   - output: Exactly ``signatureLength`` values.
    /// - Complexity: The base scheme's, plus O(k).
    public func sign(_ hashes: UnsafeBufferPointer<UInt64>, into output: UnsafeMutableBufferPointer<UInt64>) {
        base.sign(hashes, into: output)
        let mask = (UInt64(1) << UInt64(bits)) &- 1
        for i in output.indices { output[i] &= mask }
    }

    /// Li and König's estimate from the fraction of equal b-bit values.
    ///
    /// - Parameters:
    ///   - a: A signature from this scheme.
    ///   - b: Another signature from this scheme.
    /// - Returns: (P − 2^−b) / (1 − 2^−b); unbiased, so it can dip below 0 for unrelated documents.
    /// - Complexity: O(k).
    public func estimatedJaccard(_ a: UnsafeBufferPointer<UInt64>, _ b: UnsafeBufferPointer<UInt64>) -> Double {
        precondition(a.count == signatureLength && b.count == signatureLength, "signatures must have the scheme's signatureLength")
        let matches = Double(SignatureEstimators.equalCount(a, b)) / Double(signatureLength)
        return SignatureEstimators.bBitJaccard(matchFraction: matches, bits: bits)
    }
}
