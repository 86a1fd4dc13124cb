import SimCoreInternals

/// Every filed document's signature, in fixed-size pages of rows: appending copies a batch's
/// rows in once and never moves earlier rows (no reallocation copies, no doubling of peak memory
/// as the corpus grows), and row `i` is found in O(1).
///
/// Rows keep each value whole (64 bits, the default) or only its low 16, 8 or 4 bits
/// (``DeduplicationOptions/verificationBits``): 8·k, 2·k, k or k/2 bytes per document, packed
/// as ``_PackedLanes`` lays them out (the layout of ``BBitSignatureMatrix``). Truncated rows
/// serve verification only (index keys are computed from the whole signature before it is
/// stored); their Jaccard estimate is the b-bit estimator of Li and König, which corrects for
/// the 2⁻ᵇ chance that two different minima agree in their low bits.
struct _SignatureStore: Sendable {
    /// Values per signature (k).
    let signatureLength: Int
    /// Bits kept per value: 64, 16, 8 or 4.
    let bits: Int
    /// How a row's values are packed.
    let lanes: _PackedLanes
    /// 64-bit words per row: k values of `bits` bits, padded with zero lanes to a whole word.
    let wordsPerRow: Int
    /// Rows per page.
    let rowsPerPage: Int
    private var pages: [[UInt64]] = []
    /// The number of rows.
    private(set) var count = 0

    /// An empty store of k-value rows of `bits`-bit values (one of
    /// ``DeduplicationOptions/supportedVerificationBits``); pages hold about 1 MiB.
    init(signatureLength: Int, bits: Int = 64) {
        precondition(
            DeduplicationOptions.supportedVerificationBits.contains(bits), "verification bits must be 4, 8, 16 or 64")
        self.signatureLength = signatureLength
        self.bits = bits
        lanes = _PackedLanes(bits: bits, signatureLength: signatureLength)
        wordsPerRow = lanes.wordsPerRow
        rowsPerPage = Swift.max(64, (1 << 17) / Swift.max(1, wordsPerRow))
    }

    /// Bytes held by the rows (allocated pages).
    var byteCount: Int { pages.count * rowsPerPage * wordsPerRow * 8 }

    /// Appends every row of `rows` (`n × k` whole values, row-major), keeping `bits` of each.
    mutating func append(rows: UnsafeBufferPointer<UInt64>) {
        let k = signatureLength
        precondition(rows.count % k == 0, "whole rows only")
        let width = wordsPerRow
        let lanes = lanes
        appendRows(rows.count / k) { target, first, take in
            let source = rows.baseAddress! + first * k
            if lanes.bits == 64 {
                target.update(from: source, count: take * k)
                return
            }
            // SAFETY: rows first..<first + take of the source (k values each) and of the target
            // (width words each) lie inside their buffers; pack writes all width words of a row.
            for row in 0..<take { lanes.pack(source + row * k, into: target + row * width) }
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
        [UInt64](uninitializedCapacity: words) { _, count in count = words }
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
        let lanes = lanes
        let estimate = withRow(a) { rowA in
            withRow(b) { rowB -> Double in
                if lanes.bits == 64 { return scheme.estimatedJaccard(rowA, rowB) }
                let differing = lanes.differingLanes(rowA, rowB)
                return SignatureEstimators.bBitJaccard(matchFraction: Double(k - differing) / Double(k), bits: lanes.bits)
            }
        }
        return Swift.min(1, Swift.max(0, estimate))
    }

    /// Checks that every row's lanes past k are zero (rows read from a file): the lane count of
    /// ``estimatedJaccard(_:_:scheme:)`` relies on it.
    ///
    /// - Throws: ``IndexFileError/corrupt(_:)`` naming the first row with a non-zero padding lane.
    /// - Complexity: O(count) when k·b is not a multiple of 64, O(1) otherwise.
    func _checkPadding() throws(IndexFileError) {
        guard signatureLength % lanes.lanesPerWord != 0 else { return }
        for row in 0..<count where !withRow(row, { lanes.hasZeroPadding($0) }) {
            throw .corrupt("signature \(row) has non-zero lanes past its \(signatureLength) values")
        }
    }
}
