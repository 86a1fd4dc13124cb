import SimCoreInternals

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
    /// The packing (shared with the deduplicator's verification signatures).
    let lanes: _PackedLanes

    /// Packs the lowest `bits` bits of every value of `matrix`.
    ///
    /// - Parameters:
    ///   - matrix: Full-width MinHash signatures (``MinHash``, ``OnePermutationMinHash``,
    ///     ``SuperMinHash``, or ``BBitMinHash`` with at least `bits` bits).
    ///   - bits: b, one of 1, 2, 4, 8, 16.
    /// - Complexity: O(count · k).
    public init(compressing matrix: SignatureMatrix, bits: Int) {
        precondition(Self.supportedBits.contains(bits), "bits must be 1, 2, 4, 8 or 16")
        let lanes = _PackedLanes(bits: bits, signatureLength: matrix.signatureLength)
        self.lanes = lanes
        self.bits = bits
        signatureLength = matrix.signatureLength
        wordsPerRow = lanes.wordsPerRow
        let (k, width) = (matrix.signatureLength, lanes.wordsPerRow)
        words = [UInt64](uninitializedCapacity: matrix.count * width) { words, initialized in
            matrix.values.withUnsafeBufferPointer { values in
                guard width > 0 else { return }
                for row in 0..<matrix.count {
                    // SAFETY: row < count, so k values at row·k and width words at row·width
                    // lie inside the buffers; pack writes every one of the width words.
                    lanes.pack(values.baseAddress! + row * k, into: words.baseAddress! + row * width)
                }
            }
            initialized = matrix.count * width
        }
    }

    /// The number of signatures (documents).
    public var count: Int { wordsPerRow == 0 ? 0 : words.count / wordsPerRow }

    /// Bytes per document: `wordsPerRow · 8`.
    public var bytesPerDocument: Int { wordsPerRow * 8 }

    /// The b-bit value `index` of document `row`.
    public func value(row: Int, index: Int) -> UInt64 {
        precondition(index >= 0 && index < signatureLength, "index out of range")
        return words[row * wordsPerRow..<(row + 1) * wordsPerRow].withUnsafeBufferPointer { lanes.value($0, index) }
    }

    /// How many of the k b-bit values of two rows are equal (XOR, one bit per differing lane,
    /// popcount).
    ///
    /// - Parameters:
    ///   - row: A document.
    ///   - other: Another document.
    /// - Returns: Equal positions, 0...k.
    /// - Complexity: O(k·b / 64).
    public func matchCount(_ row: Int, _ other: Int) -> Int {
        precondition(row >= 0 && row < count && other >= 0 && other < count, "row out of range")
        return words.withUnsafeBufferPointer { words in
            let a = UnsafeBufferPointer(rebasing: words[row * wordsPerRow..<(row + 1) * wordsPerRow])
            let b = UnsafeBufferPointer(rebasing: words[other * wordsPerRow..<(other + 1) * wordsPerRow])
            return signatureLength - lanes.differingLanes(a, b)
        }
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
