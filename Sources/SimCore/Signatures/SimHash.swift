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
    /// - Complexity: O(n · bitCount / 8) SIMD additions, through a 256-entry byte table.
    public func fingerprint(of hashes: UnsafeBufferPointer<UInt64>) -> SimHashFingerprint {
        precondition(hashes.count < Int(Int32.max), "too many hashes")
        let total = UInt64(hashes.count)
        // One pass per 64-bit word keeps its eight count vectors in registers.
        func word(_ key: UInt64) -> UInt64 {
            var votes = _SimHashVotes()
            _simHashByteBits.withUnsafeBufferPointer { table in
                for x in hashes { votes.add(_mix64(x ^ key), table: table.baseAddress!) }
            }
            return votes.bits(total: total)
        }
        return SimHashFingerprint(low: word(keys.low), high: bitCount == 128 ? word(keys.high) : 0, bitCount: bitCount)
    }

    /// The fingerprint of a weighted shingle set, shingle i weighing `multiplicities[i]`.
    ///
    /// - Parameter set: Distinct hashes and their multiplicities (total below 2³¹).
    /// - Returns: The fingerprint; the same as for the raw hashes with repeats.
    /// - Complexity: O(n · bitCount / 8) SIMD multiply-adds.
    public func fingerprint(of set: WeightedShingleSet) -> SimHashFingerprint {
        let total = set.multiplicities.reduce(UInt64(0)) { $0 + UInt64($1) }
        precondition(total < UInt64(Int32.max), "total weight must be below 2^31")
        func word(_ key: UInt64) -> UInt64 {
            var votes = _SimHashVotes()
            _simHashByteBits.withUnsafeBufferPointer { table in
                for (x, weight) in zip(set.hashes, set.multiplicities) {
                    votes.add(_mix64(x ^ key), weight: weight, table: table.baseAddress!)
                }
            }
            return votes.bits(total: total)
        }
        return SimHashFingerprint(low: word(keys.low), high: bitCount == 128 ? word(keys.high) : 0, bitCount: bitCount)
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
}

/// `_simHashByteBits[byte]` lane l is bit l of `byte`: one table load turns 8 bits into 8 counts.
let _simHashByteBits: [SIMD8<UInt32>] = (0..<256).map { byte in
    SIMD8<UInt32>((0..<8).map { UInt32((byte >> $0) & 1) })
}

/// Weighted counts of set bits for 64 bit positions: eight `SIMD8<UInt32>`, byte g of a hash
/// counting into positions 8g ... 8g + 7. Bit j of the fingerprint is 1 when the weight of the
/// hashes with bit j set is more than half the total weight (the ±1 votes sum above 0).
struct _SimHashVotes {
    private var counts = (
        SIMD8<UInt32>(), SIMD8<UInt32>(), SIMD8<UInt32>(), SIMD8<UInt32>(),
        SIMD8<UInt32>(), SIMD8<UInt32>(), SIMD8<UInt32>(), SIMD8<UInt32>())

    /// Counts the set bits of `hash` once.
    ///
    /// - SAFETY: `table` points at the 256 entries of ``_simHashByteBits``; every index is a byte.
    @inline(__always)
    mutating func add(_ hash: UInt64, table: UnsafePointer<SIMD8<UInt32>>) {
        counts.0 &+= table[Int(hash & 0xFF)]
        counts.1 &+= table[Int((hash >> 8) & 0xFF)]
        counts.2 &+= table[Int((hash >> 16) & 0xFF)]
        counts.3 &+= table[Int((hash >> 24) & 0xFF)]
        counts.4 &+= table[Int((hash >> 32) & 0xFF)]
        counts.5 &+= table[Int((hash >> 40) & 0xFF)]
        counts.6 &+= table[Int((hash >> 48) & 0xFF)]
        counts.7 &+= table[Int(hash >> 56)]
    }

    /// Counts the set bits of `hash` with `weight`.
    ///
    /// - SAFETY: as ``add(_:table:)``.
    @inline(__always)
    mutating func add(_ hash: UInt64, weight: UInt32, table: UnsafePointer<SIMD8<UInt32>>) {
        let w = SIMD8<UInt32>(repeating: weight)
        counts.0 &+= table[Int(hash & 0xFF)] &* w
        counts.1 &+= table[Int((hash >> 8) & 0xFF)] &* w
        counts.2 &+= table[Int((hash >> 16) & 0xFF)] &* w
        counts.3 &+= table[Int((hash >> 24) & 0xFF)] &* w
        counts.4 &+= table[Int((hash >> 32) & 0xFF)] &* w
        counts.5 &+= table[Int((hash >> 40) & 0xFF)] &* w
        counts.6 &+= table[Int((hash >> 48) & 0xFF)] &* w
        counts.7 &+= table[Int(hash >> 56)] &* w
    }

    /// Bit j is 1 when `2 · count_j > total`.
    func bits(total: UInt64) -> UInt64 {
        var result: UInt64 = 0
        withUnsafeBytes(of: counts) { raw in
            // SAFETY: a homogeneous tuple of eight SIMD8<UInt32> is 64 contiguous UInt32s in order.
            let counts = raw.assumingMemoryBound(to: UInt32.self)
            for j in 0..<64 where 2 * UInt64(counts[j]) > total {
                result |= UInt64(1) << UInt64(j)
            }
        }
        return result
    }
}
