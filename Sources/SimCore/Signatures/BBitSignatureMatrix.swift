/// b-bit MinHash signatures packed: each document's k values cut to b bits, 64/b per word.
///
/// **Byte layout**: each row is `wordsPerRow = ⌈k·b / 64⌉` little-endian `UInt64` words; value i
/// sits in word `i / (64/b)` at bit offset `(i mod (64/b))·b`; unused high bits of a row's last
/// word are 0. Rows follow each other. A document costs `wordsPerRow · 8` bytes (16 bytes for
/// k = 128, b = 1; 64 · 8 = 1024 bytes unpacked).
///
/// ```swift
/// let full = SignatureMatrix(signing: documents, scheme: MinHash(signatureLength: 128))
/// let packed = BBitSignatureMatrix(compressing: full, bits: 2)
/// packed.estimatedJaccard(0, 1)   // tracks the full-width estimate
/// ```
public struct BBitSignatureMatrix: Sendable, Hashable {
    /// The b values supported: they divide 64, so no value straddles two words.
    public static let supportedBits: Set<Int> = [1, 2, 4, 8, 16]

    /// b, bits kept per value.
    public let bits: Int
    /// k, values per signature.
    public let signatureLength: Int
    /// Words per row, ⌈k·b / 64⌉.
    public let wordsPerRow: Int
    /// All rows' words, row-major.
    public private(set) var words: [UInt64]

    /// Packs the lowest `bits` bits of every value of `matrix`.
    ///
    /// - Parameters:
    ///   - matrix: Full-width MinHash signatures (``MinHash``, ``OnePermutationMinHash``,
    ///     ``SuperMinHash``, or ``BBitMinHash`` with at least `bits` bits).
    ///   - bits: b, one of 1, 2, 4, 8, 16.
    /// - Complexity: O(count · k).
    public init(compressing matrix: SignatureMatrix, bits: Int) {
        precondition(Self.supportedBits.contains(bits), "bits must be 1, 2, 4, 8 or 16")
        self.bits = bits
        signatureLength = matrix.signatureLength
        let perWord = 64 / bits
        let wordsPerRow = (matrix.signatureLength + perWord - 1) / perWord
        self.wordsPerRow = wordsPerRow
        let mask = (UInt64(1) << UInt64(bits)) &- 1
        var words = [UInt64](repeating: 0, count: matrix.count * wordsPerRow)
        matrix.values.withUnsafeBufferPointer { values in
            words.withUnsafeMutableBufferPointer { words in
                for row in 0..<matrix.count {
                    for i in 0..<matrix.signatureLength {
                        let value = values[row * matrix.signatureLength + i] & mask
                        words[row * wordsPerRow + i / perWord] |= value << UInt64((i % perWord) * bits)
                    }
                }
            }
        }
        self.words = words
    }

    /// The number of signatures (documents).
    public var count: Int { wordsPerRow == 0 ? 0 : words.count / wordsPerRow }

    /// Bytes per document: `wordsPerRow · 8`.
    public var bytesPerDocument: Int { wordsPerRow * 8 }

    /// The b-bit value `index` of document `row`.
    public func value(row: Int, index: Int) -> UInt64 {
        precondition(index >= 0 && index < signatureLength, "index out of range")
        let perWord = 64 / bits
        let word = words[row * wordsPerRow + index / perWord]
        return (word >> UInt64((index % perWord) * bits)) & ((UInt64(1) << UInt64(bits)) &- 1)
    }

    /// How many of the k b-bit values of two rows are equal (XOR, fold each b-bit group to one
    /// bit, popcount).
    ///
    /// - Parameters:
    ///   - row: A document.
    ///   - other: Another document.
    /// - Returns: Equal positions, 0...k.
    /// - Complexity: O(k·b / 64).
    public func matchCount(_ row: Int, _ other: Int) -> Int {
        precondition(row >= 0 && row < count && other >= 0 && other < count, "row out of range")
        let low: UInt64 = switch bits {
        case 1: ~0
        case 2: 0x5555_5555_5555_5555
        case 4: 0x1111_1111_1111_1111
        case 8: 0x0101_0101_0101_0101
        default: 0x0001_0001_0001_0001
        }
        var differing = 0
        words.withUnsafeBufferPointer { words in
            let a = row * wordsPerRow
            let b = other * wordsPerRow
            for w in 0..<wordsPerRow {
                var x = words[a + w] ^ words[b + w]
                var shift = 1
                while shift < bits {
                    x |= x >> UInt64(shift)
                    shift <<= 1
                }
                differing &+= (x & low).nonzeroBitCount
            }
        }
        return signatureLength - differing
    }

    /// Li and König's Jaccard estimate for two rows.
    ///
    /// - Parameters:
    ///   - row: A document.
    ///   - other: Another document.
    /// - Returns: (P − 2^−b) / (1 − 2^−b) with P the fraction of equal values; unbiased, not clamped.
    public func estimatedJaccard(_ row: Int, _ other: Int) -> Double {
        SignatureEstimators.bBitJaccard(matchFraction: Double(matchCount(row, other)) / Double(signatureLength), bits: bits)
    }
}
