/// The one layout of b-bit signature values packed into words, shared by
/// ``BBitSignatureMatrix`` and the deduplicator's verification signatures: value i of a row sits
/// in word `i / (64/b)` at bit offset `(i mod (64/b))·b`, little-endian lanes, and the lanes past
/// k in a row's last word are zero. b divides 64 (1, 2, 4, 8, 16, 32 or 64), so no value straddles
/// two words; at b = 64 a row is the values themselves.
///
/// ```swift
/// let lanes = _PackedLanes(bits: 4, signatureLength: 5)   // one word per row
/// // values [1, 2, 3, 0x1F, 0] pack to the word 0xF321 (0x1F keeps its low 4 bits; lanes 5...15 are 0)
/// ```
struct _PackedLanes: Sendable, Hashable {
    /// b, bits kept per value.
    let bits: Int
    /// k, values per row.
    let signatureLength: Int
    /// Lanes per word, 64 / b.
    let lanesPerWord: Int
    /// Words per row, ⌈k·b / 64⌉.
    let wordsPerRow: Int
    /// Each lane's low b − 1 bits set (0 when b is 1): see ``differingLanes(_:_:)``.
    let lowBits: UInt64

    /// The layout of rows of `signatureLength` values of `bits` bits.
    ///
    /// - Parameters:
    ///   - bits: b, a divisor of 64.
    ///   - signatureLength: k ≥ 0.
    init(bits: Int, signatureLength: Int) {
        precondition(bits >= 1 && bits <= 64 && 64 % bits == 0, "bits must divide 64")
        precondition(signatureLength >= 0, "signatureLength must not be negative")
        self.bits = bits
        self.signatureLength = signatureLength
        lanesPerWord = 64 / bits
        wordsPerRow = (signatureLength + lanesPerWord - 1) / lanesPerWord
        // One bit at the bottom of every lane (0x0101…01 for bytes), times the lane's low b − 1 bits.
        let laneMask = bits == 64 ? UInt64.max : (UInt64(1) << UInt64(bits)) &- 1
        let lanes = bits == 64 ? 1 : UInt64.max / laneMask
        lowBits = lanes &* (laneMask >> 1)
    }

    /// The mask of one lane's b bits.
    var laneMask: UInt64 { bits == 64 ? .max : (UInt64(1) << UInt64(bits)) &- 1 }

    /// Packs the low b bits of the k values at `source` into the ``wordsPerRow`` words at
    /// `target`, padding lanes zero.
    ///
    /// - Complexity: O(k).
    @inline(__always)
    func pack(_ source: UnsafePointer<UInt64>, into target: UnsafeMutablePointer<UInt64>) {
        let mask = laneMask
        let step = UInt64(bits)
        let k = signatureLength
        for word in 0..<wordsPerRow {
            let first = word &* lanesPerWord
            let end = Swift.min(k, first &+ lanesPerWord)
            var packed: UInt64 = 0
            var shift: UInt64 = 0
            for i in first..<end {
                // SAFETY: i < k, and the caller passes k values at source. (shift reaches 64
                // only after a word's last lane, so the masking `&<<` never wraps a lane.)
                packed |= (source[i] & mask) &<< shift
                shift &+= step
            }
            target[word] = packed
        }
    }

    /// Value `index` (b bits) of a packed row.
    ///
    /// - Parameters:
    ///   - row: ``wordsPerRow`` words.
    ///   - index: 0..<k.
    @inline(__always)
    func value(_ row: UnsafeBufferPointer<UInt64>, _ index: Int) -> UInt64 {
        let word = row[index / lanesPerWord]
        return (word &>> UInt64((index % lanesPerWord) &* bits)) & laneMask
    }

    /// Whether a packed row's lanes past k are zero (what ``differingLanes(_:_:)`` relies on
    /// to count only real values).
    func hasZeroPadding(_ row: UnsafeBufferPointer<UInt64>) -> Bool {
        let used = signatureLength - (wordsPerRow - 1) * lanesPerWord
        guard wordsPerRow > 0, used < lanesPerWord else { return true }
        return row[wordsPerRow - 1] &>> UInt64(used * bits) == 0
    }

    /// The number of lanes in which two packed rows differ, a word at a time: a lane of
    /// `x = a ^ b` is non-zero iff the high bit of `((x & low) + low) | x` is set, where `low`
    /// holds each lane's low b − 1 bits (the sum is at most 2^b − 2, so it never carries out
    /// of its lane; at b = 1, `low` is 0 and the test is `x` itself).
    ///
    /// - Parameters:
    ///   - a: A row (``wordsPerRow`` words, zero padding lanes).
    ///   - b: Another row.
    /// - Returns: The number of values that differ, 0...k.
    /// - Complexity: O(k·b / 64).
    @inline(__always)
    func differingLanes(_ a: UnsafeBufferPointer<UInt64>, _ b: UnsafeBufferPointer<UInt64>) -> Int {
        let low = lowBits
        let high = ~low
        var differing = 0
        for i in 0..<Swift.min(a.count, b.count) {
            let x = a[i] ^ b[i]
            differing &+= ((((x & low) &+ low) | x) & high).nonzeroBitCount
        }
        return differing
    }
}
