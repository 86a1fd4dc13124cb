import SimCoreInternals

/// Every filed document's signature, in fixed-size pages of rows: appending copies a batch's
/// rows in once and never moves earlier rows (no reallocation copies, no doubling of peak memory
/// as the corpus grows), and row `i` is found in O(1) (and, kept as its filled bins, densified
/// again: see below).
///
/// Rows keep each value whole (64 bits, the default) or only its low 16, 8 or 4 bits
/// (``DeduplicationOptions/verificationBits``): 8·k, 2·k, k or k/2 bytes per document, packed
/// as ``_PackedLanes`` lays them out (the layout of ``BBitSignatureMatrix``). Truncated rows
/// serve verification only (index keys are computed from the whole signature before it is
/// stored); their Jaccard estimate is the b-bit estimator of Li and König, which corrects for
/// the 2⁻ᵇ chance that two different minima agree in their low bits.
///
/// **Filled bins only.** Whole values of ``OnePermutationMinHash`` (the default scheme) are kept
/// as the values of the filled bins alone (``OnePermutationMinHash/filledValues(of:into:)``),
/// one after another, with an 8-byte locator per row: a reader gets the row back whole by the
/// scheme's own densification (``OnePermutationMinHash/expand(filledValues:into:)``), value for
/// value, so verification is as before; a saved file (format 4) holds the filled bins as
/// kept. A paragraph of 50 words (46 shingles)
/// fills about 39 of 128 bins: 312 bytes and the locator instead of 1,024. A document that fills
/// every bin costs its k values and the locator, and so does one that fills fewer than k/8:
/// each of its empty bins would probe about k / (filled bins) times at every read, where a row
/// at least an eighth filled finds nearly every empty bin's filled probe in the scheme's table
/// (32 probes deep: (7/8)³² ≈ 1.4% of its empty bins probe on; a scheme without a table, k
/// above 4,096, keeps every row whole).
struct _SignatureStore: Sendable {
    /// Values per signature (k).
    let signatureLength: Int
    /// Bits kept per value: 64, 16, 8 or 4.
    let bits: Int
    /// How a row's values are packed.
    let lanes: _PackedLanes
    /// 64-bit words per row: k values of `bits` bits, padded with zero lanes to a whole word.
    let wordsPerRow: Int
    /// Rows per page of rows of ``wordsPerRow`` words (every row but filled-bin ones).
    let rowsPerPage: Int
    /// The scheme whose filled bins alone are kept, when rows are kept so ("Filled bins only"
    /// above); `nil` for rows of every value.
    let filledBinsScheme: OnePermutationMinHash?
    /// Whether rows keep their filled bins only (``filledBinsScheme`` is set): a flag that
    /// readers test per row, where binding the optional scheme copied it (a retain and a
    /// release of its tables per verified pair, on counts every query worker shares).
    let keepsFilledBins: Bool
    /// Words per page of filled-bin rows (at least k, so that any row fits in a fresh page).
    private let filledPageWords: Int
    private var pages: [[UInt64]] = []
    /// Filled-bin rows: each row's first word (counted from the first page's start, pages
    /// `filledPageWords` apart) above its length (the low ``locatorCountBits`` bits).
    private var locators: [UInt64] = []
    /// Words written to the last page of filled-bin rows.
    private var filledPageUsed = 0
    /// The number of rows.
    private(set) var count = 0

    /// Bits of a locator that hold a row's length.
    private static let locatorCountBits: UInt64 = 24

    /// An empty store of k-value rows of `bits`-bit values (one of
    /// ``DeduplicationOptions/supportedVerificationBits``); pages hold about 1 MiB. Given a
    /// one-permutation scheme of the same k and whole values, rows keep the filled bins only.
    init(signatureLength: Int, bits: Int = 64, filledBinsScheme: OnePermutationMinHash? = nil) {
        precondition(
            DeduplicationOptions.supportedVerificationBits.contains(bits), "verification bits must be 4, 8, 16 or 64")
        self.signatureLength = signatureLength
        self.bits = bits
        lanes = _PackedLanes(bits: bits, signatureLength: signatureLength)
        wordsPerRow = lanes.wordsPerRow
        rowsPerPage = Swift.max(64, (1 << 17) / Swift.max(1, wordsPerRow))
        // A probe table exists up to k = 4,096, so a row's length always fits its locator.
        let keepsFilled = bits == 64
            && filledBinsScheme?.signatureLength == signatureLength && (filledBinsScheme?.tableDepth ?? 0) > 0
        self.filledBinsScheme = keepsFilled ? filledBinsScheme : nil
        keepsFilledBins = keepsFilled
        filledPageWords = Swift.max(1 << 17, signatureLength)
    }

    /// Bytes held by the rows (allocated pages, and the locators of filled-bin rows).
    var byteCount: Int {
        guard keepsFilledBins else { return pages.count * rowsPerPage * wordsPerRow * 8 }
        return pages.count * filledPageWords * 8 + locators.count * 8
    }

    /// Appends every row of `rows` (`n × k` whole values, row-major), keeping `bits` of each.
    ///
    /// - Parameters:
    ///   - rows: The rows.
    ///   - checked: Whether the rows may be no signatures of the scheme (rows a file held
    ///     whole): a store keeping filled bins only then keeps whole any row that its filled
    ///     bins would not give back (a damaged or foreign file), so that every row reads back as
    ///     it came.
    mutating func append(rows: UnsafeBufferPointer<UInt64>, checked: Bool = false) {
        let k = signatureLength
        precondition(rows.count % k == 0, "whole rows only")
        if let filledBinsScheme {
            appendFilled(rows, scheme: filledBinsScheme, checked: checked)
            return
        }
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

    /// The packing of this store's truncated rows, in which a batch can prepare its rows
    /// (``_PreparedBatch/rowPacking``); `nil` for whole values.
    var truncatedLanes: _PackedLanes? { bits == 64 ? nil : lanes }

    /// Appends a prepared batch's rows: packed ones (``_PreparedBatch/rowPacking``, which must
    /// be ``truncatedLanes``) as they are, whole ones by ``append(rows:checked:)``.
    mutating func append(rowsOf batch: _PreparedBatch) {
        guard let packing = batch.rowPacking else {
            append(rows: UnsafeBufferPointer(batch.signatures), checked: batch.checksRows)
            return
        }
        precondition(packing == truncatedLanes, "rows packed as this store keeps them")
        append(words: UnsafeBufferPointer(batch.signatures))
    }

    /// Appends rows already in this store's layout (`n × wordsPerRow` words, row-major), as
    /// ``words`` gives them: a saved store coming back.
    mutating func append(words: UnsafeBufferPointer<UInt64>) {
        let width = wordsPerRow
        precondition(words.count % width == 0, "whole rows only")
        if let filledBinsScheme {
            // Whole values: the layout of `append(rows:)`, from a file.
            appendFilled(words, scheme: filledBinsScheme, checked: true)
            return
        }
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

    /// Appends whole rows (k values each) as their filled bins' values, page by page (a row
    /// never straddles two pages); a row of fewer than k/8 filled bins, and (`checked`) one whose
    /// filled values do not expand to it, is kept whole (k values, which read back as they are).
    private mutating func appendFilled(_ rows: UnsafeBufferPointer<UInt64>, scheme: OnePermutationMinHash, checked: Bool) {
        let k = signatureLength
        let rowCount = rows.count / k
        let pageWords = filledPageWords
        var row = 0
        while row < rowCount {
            if pages.isEmpty || filledPageUsed + k > pageWords {
                pages.append(Self.page(words: pageWords))
                filledPageUsed = 0
            }
            // The page moves out while it is written (no second reference, so no copy).
            var page = pages.removeLast()
            let pageStart = pages.count * pageWords
            page.withUnsafeMutableBufferPointer { page in
                while row < rowCount && filledPageUsed + k <= pageWords {
                    // SAFETY: the row's k values lie in `rows`; the page has room for k words at
                    // `filledPageUsed`, all that filledValues may write.
                    let whole = UnsafeBufferPointer(rebasing: rows[row * k..<(row + 1) * k])
                    let target = page.baseAddress! + filledPageUsed
                    var written = scheme.filledValues(of: whole, into: target)
                    // Too few filled bins (but some: an empty document's row is all UInt64.max,
                    // with none) would densify slowly at every read; a loaded row that does not
                    // come back would read wrong.
                    let tooFew = written > 0 && written * 8 < k
                    let kept = UnsafeBufferPointer(start: target, count: written)
                    if tooFew || checked && !Self.expands(kept, to: whole, scheme: scheme) {
                        target.update(from: whole.baseAddress!, count: k)
                        written = k
                    }
                    locators.append(UInt64(pageStart + filledPageUsed) << Self.locatorCountBits | UInt64(written))
                    filledPageUsed += written
                    row += 1
                }
            }
            pages.append(page)
        }
        count += rowCount
    }

    /// Whether `filled` expands to `whole`.
    private static func expands(
        _ filled: UnsafeBufferPointer<UInt64>, to whole: UnsafeBufferPointer<UInt64>, scheme: OnePermutationMinHash
    ) -> Bool {
        withUnsafeTemporaryAllocation(of: UInt64.self, capacity: whole.count) { expanded in
            scheme.expand(filledValues: filled, into: expanded)
            return expanded.elementsEqual(whole)
        }
    }

    /// Every row in this store's layout (`count × wordsPerRow` words).
    var words: [UInt64] {
        var words: [UInt64] = []
        words.reserveCapacity(count * wordsPerRow)
        forEachRun { words.append(contentsOf: $0) }
        return words
    }

    /// Calls `body` with every row in this store's layout, in row order, in runs (a page's rows
    /// at once, or one expanded row of filled bins), each valid only inside `body`: what
    /// ``words`` holds, for a save that writes them without a copy of every row (1.1 GB for
    /// 1,080,000 paragraphs).
    func forEachRun(_ body: (UnsafeBufferPointer<UInt64>) -> Void) {
        if keepsFilledBins {
            for row in 0..<count { withRow(row, body) }
            return
        }
        for (index, page) in pages.enumerated() {
            let rows = Swift.min(rowsPerPage, count - index * rowsPerPage)
            page.withUnsafeBufferPointer { body(UnsafeBufferPointer(rebasing: $0[0..<rows * wordsPerRow])) }
        }
    }

    /// Each row's length in words as stored, for a saved file (format version 4): the filled
    /// bins' count of a row kept so (k for a row kept whole, 0 for an empty document's), or
    /// empty when every row is ``wordsPerRow`` words (a store of rows of every value).
    var storedRowLengths: [UInt16] {
        guard keepsFilledBins else { return [] }
        // A store keeps filled bins only up to k = 4,096 (the probe table's limit).
        precondition(signatureLength <= Int(UInt16.max), "a filled-bin row's length fits 16 bits")
        return locators.map { UInt16(truncatingIfNeeded: $0 & (1 << Self.locatorCountBits - 1)) }
    }

    /// The words ``forEachStoredRow(_:)`` gives: the sum of ``storedRowLengths``, or
    /// ``count`` × ``wordsPerRow``.
    var storedWordCount: Int {
        guard keepsFilledBins else { return count * wordsPerRow }
        return locators.reduce(0) { $0 + Int(truncatingIfNeeded: $1 & (1 << Self.locatorCountBits - 1)) }
    }

    /// Calls `body` with every row as it is stored, in row order, in runs valid only inside
    /// `body`: each row's filled values as they are kept (no expansion), or pages of rows of
    /// ``wordsPerRow`` words (as ``forEachRun(_:)``).
    func forEachStoredRow(_ body: (UnsafeBufferPointer<UInt64>) -> Void) {
        guard keepsFilledBins else { return forEachRun(body) }
        for locator in locators {
            let start = Int(truncatingIfNeeded: locator >> Self.locatorCountBits)
            let filled = Int(truncatingIfNeeded: locator & (1 << Self.locatorCountBits - 1))
            pages[start / filledPageWords].withUnsafeBufferPointer { page in
                // SAFETY: the row's `filled` values lie inside its page (rows never straddle pages).
                body(UnsafeBufferPointer(start: page.baseAddress! + start % filledPageWords, count: filled))
            }
        }
    }

    /// A new page of `words` words, not zeroed: rows are read only after they are written
    /// (``count`` rows, each written whole), so zeroing 1 MiB per page would be wasted.
    private static func page(words: Int) -> [UInt64] {
        [UInt64](uninitializedCapacity: words) { _, count in count = words }
    }

    /// Calls `body` with the words of row `row` (``wordsPerRow`` words; k whole values when
    /// ``bits`` is 64, else k little-endian lanes of ``bits`` bits and zero padding), valid only
    /// inside `body`: a row kept as its filled bins is densified into a temporary buffer first.
    @inline(__always)
    func withRow<R>(_ row: Int, _ body: (UnsafeBufferPointer<UInt64>) -> R) -> R {
        if keepsFilledBins { return withFilledRow(row, body) }
        let width = wordsPerRow
        return pages[row / rowsPerPage].withUnsafeBufferPointer { page in
            body(UnsafeBufferPointer(start: page.baseAddress! + (row % rowsPerPage) * width, count: width))
        }
    }

    /// ``withRow(_:_:)`` for filled-bin rows: the row whole, expanded into a temporary buffer
    /// unless every bin was filled.
    private func withFilledRow<R>(_ row: Int, _ body: (UnsafeBufferPointer<UInt64>) -> R) -> R {
        let k = signatureLength
        let locator = locators[row]
        let start = Int(truncatingIfNeeded: locator >> Self.locatorCountBits)
        let filled = Int(truncatingIfNeeded: locator & (1 << Self.locatorCountBits - 1))
        return pages[start / filledPageWords].withUnsafeBufferPointer { page in
            // SAFETY: the row's `filled` values lie inside its page (rows never straddle pages).
            let values = UnsafeBufferPointer(start: page.baseAddress! + start % filledPageWords, count: filled)
            if filled == k { return body(values) }
            return withUnsafeTemporaryAllocation(of: UInt64.self, capacity: k) { whole in
                // SAFETY: keepsFilledBins == (filledBinsScheme != nil), both set once by init; the
                // scheme is read in place, not bound (a binding copied it: retains per row).
                assert(filledBinsScheme != nil, "filled-bin rows without their scheme")
                filledBinsScheme.unsafelyUnwrapped.expand(filledValues: values, into: whole)
                return body(UnsafeBufferPointer(whole))
            }
        }
    }

    /// The estimated Jaccard similarity of rows `a` and `b`, clamped to [0, 1]: the scheme's own
    /// estimator on whole values, the b-bit estimator on truncated ones.
    @inline(__always)
    func estimatedJaccard(_ a: Int, _ b: Int, scheme: some SignatureScheme) -> Double {
        let k = signatureLength
        let lanes = lanes
        if keepsFilledBins {
            return withRow(a) { rowA in estimatedJaccard(wholeRow: rowA, b, scheme: scheme) }
        }
        let estimate = withRow(a) { rowA in
            withRow(b) { rowB -> Double in
                if lanes.bits == 64 { return scheme.estimatedJaccard(rowA, rowB) }
                let differing = lanes.differingLanes(rowA, rowB)
                return SignatureEstimators.bBitJaccard(matchFraction: Double(k - differing) / Double(k), bits: lanes.bits)
            }
        }
        return Swift.min(1, Swift.max(0, estimate))
    }

    /// The estimated Jaccard similarity, clamped to [0, 1], of a signature given whole (k
    /// values: one being verified, still in its batch) and row `b` of a store that keeps whole
    /// values (``bits`` 64): the row alone is read, and expanded if it keeps filled bins only.
    @inline(__always)
    func estimatedJaccard(wholeRow rowA: UnsafeBufferPointer<UInt64>, _ b: Int, scheme: some SignatureScheme) -> Double {
        assert(bits == 64 && rowA.count == signatureLength, "a whole signature against whole values")
        return withRow(b) { rowB in Swift.min(1, Swift.max(0, scheme.estimatedJaccard(rowA, rowB))) }
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
