/// A MinHash-family signature scheme: maps a document's shingle hashes to `signatureLength` (k) values whose
/// position-wise equality rate between two documents estimates their Jaccard similarity.
///
/// Every scheme is deterministic: the same hashes, length and seed give the same values on
/// every machine, build and thread count. Signing ignores the order and repeats of the hashes.
/// An empty document's signature is all `UInt64.max`.
public protocol SignatureScheme: Sendable {
    /// The number of values per signature (k).
    var signatureLength: Int { get }
    /// The seed every hash function and permutation of the scheme is derived from.
    var seed: UInt64 { get }
    /// A short name for tables and files, e.g. `minhash`, `oph`, `superminhash`.
    var name: String { get }

    /// Writes the signature of `hashes` into `output`.
    ///
    /// - Parameters:
    ///   - hashes: A document's shingle hashes, in any order, repeats allowed.
    ///   - output: Exactly ``signatureLength`` values.
    func sign(_ hashes: UnsafeBufferPointer<UInt64>, into output: UnsafeMutableBufferPointer<UInt64>)

    /// Estimates the Jaccard similarity of the two documents whose signatures are `a` and `b`.
    ///
    /// The default is the fraction of positions where the values are equal (a SIMD equality
    /// count, see ``SignatureEstimators/equalCount(_:_:)``); schemes whose values are not full
    /// minima (``BBitMinHash``) correct for chance matches.
    ///
    /// - Parameters:
    ///   - a: A signature of ``signatureLength`` values made by this scheme.
    ///   - b: Another signature of ``signatureLength`` values made by this scheme.
    /// - Returns: The estimate, unbiased; it can stray slightly outside 0...1 for corrected schemes.
    /// - Complexity: O(k).
    func estimatedJaccard(_ a: UnsafeBufferPointer<UInt64>, _ b: UnsafeBufferPointer<UInt64>) -> Double
}

/// The signatures of a corpus: one row of `signatureLength` (k) values per document, contiguous, row-major.
///
/// Byte layout when written to disk: little-endian `UInt64`s, row after row. What a value holds
/// depends on the scheme (all deterministic across machines, builds and thread counts):
///
/// | scheme | value | empty document |
/// | --- | --- | --- |
/// | ``MinHash`` | 32-bit minimum, zero-extended | `UInt64.max` |
/// | ``OnePermutationMinHash`` | 64-bit bin minimum (< `UInt64.max`) | `UInt64.max` |
/// | ``SuperMinHash`` | `position << 32 \| fraction` | `UInt64.max` |
/// | ``BBitMinHash`` | base value's low b bits | `2^b − 1` |
///
/// Compare signatures only from the same scheme, length and seed. ``BBitSignatureMatrix`` packs
/// b-bit values; ``SimHashFingerprint`` documents SimHash's layout.
public struct SignatureMatrix: Sendable, Hashable {
    /// Values per signature (k).
    public let signatureLength: Int
    /// All values, `count × signatureLength`, row-major.
    public private(set) var values: [UInt64]

    /// Creates a matrix from row-major values.
    ///
    /// - Parameters:
    ///   - signatureLength: Values per signature, at least 1.
    ///   - values: `count × signatureLength` values.
    public init(signatureLength: Int, values: [UInt64]) {
        precondition(signatureLength >= 1 && values.count % signatureLength == 0, "values must hold whole rows")
        self.signatureLength = signatureLength
        self.values = values
    }

    /// The number of signatures (documents).
    public var count: Int { values.count / signatureLength }

    /// The signature of document `row`.
    public subscript(row: Int) -> ArraySlice<UInt64> {
        values[row * signatureLength..<(row + 1) * signatureLength]
    }

    /// Calls `body` with the values of document `row`.
    public func withRow<R>(_ row: Int, _ body: (UnsafeBufferPointer<UInt64>) throws -> R) rethrows -> R {
        try values.withUnsafeBufferPointer { try body(UnsafeBufferPointer(rebasing: $0[row * signatureLength..<(row + 1) * signatureLength])) }
    }
}
