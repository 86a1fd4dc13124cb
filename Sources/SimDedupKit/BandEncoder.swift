import SimCore

/// Turns one document's UTF-8 text into its LSH band keys: shingle, sign, then ``BandKey`` per band.
///
/// The keys are exactly those ``MinHashLSH`` and the ``Deduplicator`` file documents under for the
/// same scheme, shingling and ``BandingParameters``, written as signed 64-bit integers
/// (`Int64(bitPattern:)`), which is how Spark and most JSON readers hold them.
///
/// A document with no shingles (only punctuation, say) gets **no** keys, so it is never a
/// candidate: its signature would be all `UInt64.max` and would collide with every other such one.
///
/// ```swift
/// var encoder = BandEncoder(scheme: OnePermutationMinHash(signatureLength: 128), banding: .init(bandCount: 16, rowsPerBand: 8))
/// var keys: [Int64] = []
/// encoder.keys(ofUTF8: Array("the quick brown fox jumps over".utf8), into: &keys)   // 16 keys
/// ```
public struct BandEncoder<Scheme: SignatureScheme> {
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

    /// Replaces `keys` with the band keys of `bytes`, in band order (empty when it has no shingles).
    ///
    /// - Parameters:
    ///   - bytes: The document's UTF-8 text.
    ///   - keys: Receives ``BandingParameters/bandCount`` keys, or none.
    /// - Complexity: O(text length + k); no allocation once `keys` has its capacity.
    public mutating func keys(ofUTF8 bytes: [UInt8], into keys: inout [Int64]) {
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
        let rows = banding.rowsPerBand
        signature.withUnsafeBufferPointer { values in
            for band in 0..<banding.bandCount {
                let slice = UnsafeBufferPointer(rebasing: values[band * rows..<(band + 1) * rows])
                keys.append(Int64(bitPattern: BandKey.hash(slice, band: band)))
            }
        }
    }
}
