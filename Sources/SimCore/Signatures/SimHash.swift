/// SimHash (Charikar 2002): a 64- or 128-bit fingerprint of a document's shingles weighted by how
/// often each occurs; near-duplicates differ in few bits.
///
/// Every occurrence of shingle hash x votes on each bit j: +1 if bit j of `mix64(x XOR key₀)`
/// (bits 0...63) or of `mix64(x XOR key₁)` (bits 64...127) is set, −1 otherwise. A fingerprint bit
/// is 1 when its votes sum above 0. `key₀`, `key₁` are the first two draws of ``SplitMix64``
/// seeded with ``seed``. A shingle that occurs m times weighs m, so the raw hash buffer of
/// ``Shingler/withShingleHashes(ofUTF8:_:)`` (repeats included) and the ``WeightedShingleSet`` of
/// the same text give the same fingerprint. An empty document's fingerprint is 0.
///
/// ```swift
/// let simhash = SimHash(bitCount: 64, seed: 0)
/// let shingler = Shingler()
/// let a = simhash.fingerprint(of: shingler.weightedShingles(of: "…"))
/// a.hammingDistance(to: a)   // 0
/// ```
public struct SimHash: Sendable, Hashable {
    /// 64 or 128.
    public let bitCount: Int
    /// The seed the bit hashes are keyed with.
    public let seed: UInt64
    private let keys: (low: UInt64, high: UInt64)

    /// Creates the scheme.
    ///
    /// - Parameters:
    ///   - bitCount: 64 (default) or 128.
    ///   - seed: Fixes the bit hashes (default 0).
    public init(bitCount: Int = 64, seed: UInt64 = 0) {
        precondition(bitCount == 64 || bitCount == 128, "a SimHash has 64 or 128 bits")
        self.bitCount = bitCount
        self.seed = seed
        var generator = SplitMix64(seed: seed)
        keys = (generator.next(), generator.next())
    }

    /// `simhash64` or `simhash128`.
    public var name: String { "simhash\(bitCount)" }

    /// Words per fingerprint in a ``SignatureMatrix``: 1 or 2.
    public var wordCount: Int { bitCount / 64 }

    /// Two schemes are equal when they make the same fingerprints.
    public static func == (lhs: SimHash, rhs: SimHash) -> Bool {
        lhs.bitCount == rhs.bitCount && lhs.seed == rhs.seed
    }

    /// Hashes the width and seed.
    public func hash(into hasher: inout Hasher) {
        hasher.combine(bitCount)
        hasher.combine(seed)
    }

    /// The fingerprint of shingle hashes, each occurrence weighing 1.
    ///
    /// - Parameter hashes: Shingle hashes in any order, repeats counted (fewer than 2³¹).
    /// - Returns: The fingerprint.
    /// - Complexity: O(n · bitCount / 8) SIMD steps.
    public func fingerprint(of hashes: UnsafeBufferPointer<UInt64>) -> SimHashFingerprint {
        _fingerprint(count: hashes.count, hash: { hashes[$0] }, weight: { _ in 1 })
    }

    /// The fingerprint of a weighted shingle set, shingle i weighing `multiplicities[i]`.
    ///
    /// - Parameter set: Distinct hashes and their multiplicities (total below 2³¹).
    /// - Returns: The fingerprint; the same as for the raw hashes with repeats.
    public func fingerprint(of set: WeightedShingleSet) -> SimHashFingerprint {
        set.hashes.withUnsafeBufferPointer { hashes in
            set.multiplicities.withUnsafeBufferPointer { weights in
                _fingerprint(count: hashes.count, hash: { hashes[$0] }, weight: { Int32(truncatingIfNeeded: weights[$0]) })
            }
        }
    }

    /// The fingerprints of a corpus, in document order, on `threads` cores.
    ///
    /// - Parameters:
    ///   - documents: The documents.
    ///   - options: How documents become shingles.
    ///   - threads: Workers (default: all cores); the output does not depend on it.
    /// - Returns: One fingerprint per document.
    /// - Complexity: O(total text) with one ``Shingler`` per chunk of documents.
    public func fingerprints(
        of documents: [Document], options: ShinglingOptions = ShinglingOptions(),
        threads: Int = Parallelism.defaultThreadCount
    ) -> [SimHashFingerprint] {
        let words = wordCount
        let values = _signCorpus(
            count: documents.count, rowLength: words, options: options, threads: threads,
            withText: { index, body in documents[index].utf8.withUnsafeBytes(body) },
            sign: { hashes, output in
                let print = fingerprint(of: hashes)
                output[0] = print.low
                if words == 2 { output[1] = print.high }
            })
        return (0..<documents.count).map { row in
            SimHashFingerprint(low: values[row * words], high: words == 2 ? values[row * words + 1] : 0, bitCount: bitCount)
        }
    }

    @inline(__always)
    private func _fingerprint(
        count: Int, hash: (Int) -> UInt64, weight: (Int) -> Int32
    ) -> SimHashFingerprint {
        var low = _SimHashVotes()
        var high = _SimHashVotes()
        let wide = bitCount == 128
        for i in 0..<count {
            let x = hash(i)
            let w = weight(i)
            low.add(_mix64(x ^ keys.low), weight: w)
            if wide { high.add(_mix64(x ^ keys.high), weight: w) }
        }
        return SimHashFingerprint(low: low.bits, high: wide ? high.bits : 0, bitCount: bitCount)
    }
}

/// Per-bit vote totals for 64 bits: eight `SIMD8<Int32>` lanes, byte g of a hash voting on lanes
/// 8g ... 8g + 7.
struct _SimHashVotes {
    private var votes = (
        SIMD8<Int32>(), SIMD8<Int32>(), SIMD8<Int32>(), SIMD8<Int32>(),
        SIMD8<Int32>(), SIMD8<Int32>(), SIMD8<Int32>(), SIMD8<Int32>())
    private static let shifts = SIMD8<Int32>(0, 1, 2, 3, 4, 5, 6, 7)

    /// Adds `weight` to the bits set in `hash` and subtracts it from the others.
    @inline(__always)
    mutating func add(_ hash: UInt64, weight: Int32) {
        let w = SIMD8<Int32>(repeating: weight)
        @inline(__always) func vote(_ byte: UInt64) -> SIMD8<Int32> {
            let bitsSet = (SIMD8<Int32>(repeating: Int32(truncatingIfNeeded: byte & 0xFF)) &>> Self.shifts) & 1
            return (bitsSet &* 2 &- 1) &* w
        }
        votes.0 &+= vote(hash)
        votes.1 &+= vote(hash >> 8)
        votes.2 &+= vote(hash >> 16)
        votes.3 &+= vote(hash >> 24)
        votes.4 &+= vote(hash >> 32)
        votes.5 &+= vote(hash >> 40)
        votes.6 &+= vote(hash >> 48)
        votes.7 &+= vote(hash >> 56)
    }

    /// Bit j is 1 when the votes on bit j sum above 0.
    var bits: UInt64 {
        var result: UInt64 = 0
        let groups = [votes.0, votes.1, votes.2, votes.3, votes.4, votes.5, votes.6, votes.7]
        for (g, group) in groups.enumerated() {
            for lane in 0..<8 where group[lane] > 0 {
                result |= UInt64(1) << UInt64(g * 8 + lane)
            }
        }
        return result
    }
}
