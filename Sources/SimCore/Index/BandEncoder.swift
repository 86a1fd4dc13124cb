/// Turns one document's UTF-8 text into its LSH band keys: shingle, sign, then ``BandKey`` per
/// band, in reusable buffers.
///
/// The keys are exactly those ``MinHashLSH`` and the ``Deduplicator`` file documents under for
/// the same scheme, shingling and ``BandingParameters``; `simdedup bands` writes them (as signed
/// 64-bit integers) for Spark and any other system that joins documents on band keys.
///
/// A document with no shingles (only punctuation, say) gets **no** keys, so it is never a
/// candidate: its signature would be all `UInt64.max` and would collide with every other such one.
///
/// Like ``Shingler`` it owns its buffers: one encoder per thread.
///
/// ```swift
/// let encoder = BandEncoder(scheme: OnePermutationMinHash(signatureLength: 128), banding: .init(bandCount: 16, rowsPerBand: 8))
/// var keys: [UInt64] = []
/// encoder.keys(ofUTF8: Array("the quick brown fox jumps over".utf8), into: &keys)   // 16 keys
/// ```
public final class BandEncoder<Scheme: SignatureScheme> {
    /// The signature scheme.
    public let scheme: Scheme
    /// The bands and rows per band.
    public let banding: BandingParameters
    private let shingler: Shingler
    private var signature: [UInt64]

    /// Creates an encoder.
    ///
    /// - Parameters:
    ///   - scheme: The signature scheme; `banding` must use at most its length.
    ///   - banding: The bands and rows per band.
    ///   - shingling: The shingling options (default: word 5-grams, seed 0).
    public init(scheme: Scheme, banding: BandingParameters, shingling: ShinglingOptions = ShinglingOptions()) {
        precondition(banding.signatureValuesUsed <= scheme.signatureLength, "bands × rows must not exceed the signature length")
        self.scheme = scheme
        self.banding = banding
        shingler = Shingler(options: shingling)
        signature = [UInt64](repeating: 0, count: scheme.signatureLength)
    }

    /// Replaces `keys` with the band keys of `bytes`, band 0 first (empty when it has no shingles).
    ///
    /// - Parameters:
    ///   - bytes: The document's UTF-8 text.
    ///   - keys: Receives ``BandingParameters/bandCount`` keys, or none.
    /// - Complexity: O(text length + k); no allocation once `keys` has its capacity.
    public func keys(ofUTF8 bytes: [UInt8], into keys: inout [UInt64]) {
        keys.removeAll(keepingCapacity: true)
        let scheme = scheme
        let hasShingles = bytes.withUnsafeBytes { raw in
            shingler.withShingleHashes(ofUTF8: raw) { hashes in
                guard !hashes.isEmpty else { return false }
                signature.withUnsafeMutableBufferPointer { scheme.sign(hashes, into: $0) }
                return true
            }
        }
        guard hasShingles else { return }
        let count = banding.bandCount
        keys.append(contentsOf: repeatElement(0, count: count))
        signature.withUnsafeBufferPointer { values in
            keys.withUnsafeMutableBufferPointer { banding.bandKeys(of: values.baseAddress!, into: $0.baseAddress!) }
        }
    }
}
