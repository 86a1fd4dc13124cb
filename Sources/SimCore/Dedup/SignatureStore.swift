/// Every filed document's signature, in fixed-size pages of rows: appending copies a batch's
/// rows in once and never moves earlier rows (no reallocation copies, no doubling of peak memory
/// as the corpus grows), and row `i` is found in O(1).
///
/// Rows keep each value whole (64 bits, the default) or only its low 16 or 8 bits
/// (``DeduplicationOptions/verificationBits``): 8·k, 2·k or k bytes per document. Truncated rows
/// serve verification only (index keys are computed from the whole signature before it is
/// stored); their Jaccard estimate is the b-bit estimator of Li and König, which corrects for
/// the 2⁻ᵇ chance that two different minima agree in their low bits.
struct _SignatureStore: Sendable {
    /// Values per signature (k).
    let signatureLength: Int
    /// Bits kept per value: 64, 16 or 8.
    let bits: Int
    /// 64-bit words per row: k values of `bits` bits, padded with zero lanes to a whole word.
    let wordsPerRow: Int
    /// Rows per page.
    let rowsPerPage: Int
    private var pages: [[UInt64]] = []
    /// The number of rows.
    private(set) var count = 0

    /// The value widths a store can keep.
    static let supportedBits: Set<Int> = [8, 16, 64]

    /// An empty store of k-value rows of `bits`-bit values; pages hold about 1 MiB.
    init(signatureLength: Int, bits: Int = 64) {
        precondition(Self.supportedBits.contains(bits), "verification bits must be 8, 16 or 64")
        self.signatureLength = signatureLength
        self.bits = bits
        wordsPerRow = (signatureLength * bits + 63) / 64
        rowsPerPage = Swift.max(64, (1 << 17) / Swift.max(1, wordsPerRow))
    }

    /// Bytes held by the rows (allocated pages).
    var byteCount: Int { pages.count * rowsPerPage * wordsPerRow * 8 }

    /// Appends every row of `rows` (`n × k` whole values, row-major), keeping `bits` of each.
    mutating func append(rows: UnsafeBufferPointer<UInt64>) {
        let k = signatureLength
        precondition(rows.count % k == 0, "whole rows only")
        let width = wordsPerRow
        let bits = bits
        appendRows(rows.count / k) { target, first, take in
            let source = rows.baseAddress! + first * k
            if bits == 64 {
                target.update(from: source, count: take * k)
                return
            }
            let raw = UnsafeMutableRawPointer(target)
            for row in 0..<take {
                let rowTarget = raw + row * width * 8
                // The last word may be only partly filled: its padding lanes must be zero.
                rowTarget.storeBytes(of: 0, toByteOffset: (width - 1) * 8, as: UInt64.self)
                for i in 0..<k {
                    let value = source[row * k + i]
                    if bits == 16 {
                        rowTarget.storeBytes(of: UInt16(truncatingIfNeeded: value).littleEndian, toByteOffset: i * 2, as: UInt16.self)
                    } else {
                        rowTarget.storeBytes(of: UInt8(truncatingIfNeeded: value), toByteOffset: i, as: UInt8.self)
                    }
                }
            }
        }
    }

    /// Appends rows already in this store's layout (`n × wordsPerRow` words, row-major), as
    /// ``words`` gives them: a saved store coming back.
    mutating func append(words: UnsafeBufferPointer<UInt64>) {
        let width = wordsPerRow
        precondition(words.count % width == 0, "whole rows only")
        appendRows(words.count / width) { target, first, take in
            target.update(from: words.baseAddress! + first * width, count: take * width)
        }
    }

    /// Appends `rowCount` rows page by page: `write(target, first, take)` fills `take` rows
    /// (`take · wordsPerRow` words at `target`) with the rows `first..<first + take` of its source.
    private mutating func appendRows(
        _ rowCount: Int, _ write: (UnsafeMutablePointer<UInt64>, Int, Int) -> Void
    ) {
        let width = wordsPerRow
        var done = 0
        while done < rowCount {
            if count == pages.count * rowsPerPage { pages.append(Self.page(words: rowsPerPage * width)) }
            let slot = count % rowsPerPage
            let take = Swift.min(rowsPerPage - slot, rowCount - done)
            pages[pages.count - 1].withUnsafeMutableBufferPointer { page in
                // SAFETY: slot + take ≤ rowsPerPage rows fit in the page.
                write(page.baseAddress! + slot * width, done, take)
            }
            count += take
            done += take
        }
    }

    /// Every row in this store's layout (`count × wordsPerRow` words), for saving.
    var words: [UInt64] {
        var words: [UInt64] = []
        words.reserveCapacity(count * wordsPerRow)
        for (index, page) in pages.enumerated() {
            let rows = Swift.min(rowsPerPage, count - index * rowsPerPage)
            words.append(contentsOf: page[0..<rows * wordsPerRow])
        }
        return words
    }

    /// A new page of `words` words, not zeroed: rows are read only after they are written
    /// (``count`` rows, each written whole), so zeroing 1 MiB per page would be wasted.
    private static func page(words: Int) -> [UInt64] {
        [UInt64](unsafeUninitializedCapacity: words) { _, count in count = words }
    }

    /// Calls `body` with the words of row `row` (``wordsPerRow`` words; k whole values when
    /// ``bits`` is 64, else k little-endian lanes of ``bits`` bits and zero padding).
    @inline(__always)
    func withRow<R>(_ row: Int, _ body: (UnsafeBufferPointer<UInt64>) -> R) -> R {
        let width = wordsPerRow
        return pages[row / rowsPerPage].withUnsafeBufferPointer { page in
            body(UnsafeBufferPointer(start: page.baseAddress! + (row % rowsPerPage) * width, count: width))
        }
    }

    /// The estimated Jaccard similarity of rows `a` and `b`, clamped to [0, 1]: the scheme's own
    /// estimator on whole values, the b-bit estimator on truncated ones.
    @inline(__always)
    func estimatedJaccard(_ a: Int, _ b: Int, scheme: some SignatureScheme) -> Double {
        let k = signatureLength
        let bits = bits
        let estimate = withRow(a) { rowA in
            withRow(b) { rowB -> Double in
                if bits == 64 { return scheme.estimatedJaccard(rowA, rowB) }
                let differing = Self.differingLanes(rowA, rowB, bits: bits)
                return SignatureEstimators.bBitJaccard(matchFraction: Double(k - differing) / Double(k), bits: bits)
            }
        }
        return Swift.min(1, Swift.max(0, estimate))
    }

    /// The number of `bits`-bit lanes (8 or 16) in which two rows differ, a word at a time: a
    /// lane of `x = a ^ b` is non-zero iff the high bit of `((x & low) + low) | x` is set, where
    /// `low` is 0x7F (0x7FFF) in every lane (the sum never carries out of a lane).
    @inline(__always)
    static func differingLanes(_ a: UnsafeBufferPointer<UInt64>, _ b: UnsafeBufferPointer<UInt64>, bits: Int) -> Int {
        let low: UInt64 = bits == 8 ? 0x7F7F_7F7F_7F7F_7F7F : 0x7FFF_7FFF_7FFF_7FFF
        let high = ~low
        var differing = 0
        for i in 0..<a.count {
            let x = a[i] ^ b[i]
            differing &+= ((((x & low) &+ low) | x) & high).nonzeroBitCount
        }
        return differing
    }
}
