import SimCoreInternals
internal import CSimKernels

/// Containment search with LSH Ensemble (Zhu, Nargesian, Pu and Miller, VLDB 2016): finds the
/// documents that contain most of a query even when their Jaccard similarity is low (a reprint
/// inside a page of tickers and comments).
///
/// **Method.** Containment C(Q ⊂ X) = |Q ∩ X| / |Q| is not what MinHash estimates, but for a
/// known |Q| = q and an upper bound u on |X| it converts to a Jaccard threshold: if C ≥ t then
/// J(Q, X) = tq / (q + |X| − tq) ≥ s = tq / (q + u − tq). The bound is tight only when |X| is
/// close to u, so documents are *partitioned by set size* into geometric classes
/// `[2^(p/2), 2^((p+1)/2))` (ratio √2, which keeps u/|X| < 1.42 and works for any size
/// distribution and for streaming inserts). Each query converts t into one Jaccard threshold
/// per non-empty partition and probes each partition with the banding that minimizes the
/// weighted false-positive and false-negative areas at that threshold (as
/// ``BandingParameters/optimal(threshold:signatureLength:falsePositiveWeight:falseNegativeWeight:)``,
/// restricted to b ≤ ``bandCount`` and r ≤ ``maximumRowsPerBand``).
///
/// **Variable banding at query time.** As in the paper, each partition is an LSH Forest: the
/// signature is cut into ``bandCount`` = k / rMax bands of rMax rows, and a document is filed
/// under the key of every prefix of every band (r = 1 … rMax rows, ``BandKey`` of the prefix
/// with the band index as seed, mixed with the partition and r). A query with banding (b, r)
/// looks up the r-row prefixes of its first b bands.
///
/// ``Direction/either`` also finds documents contained in the query (the partition's lower
/// bound l gives s = tl / (l + q − tl)), which is what symmetric deduplication needs.
///
/// **Key filters.** Each band keeps a blocked Bloom filter of the keys it holds (8 to 16 bits
/// per key). A query probes every non-empty partition, but a filed document's keys lie only in
/// its own: outside the query's own partition, a key the filter has never seen is not looked
/// up. The candidates are the same as without the filters. An exact index's posting keys of
/// one band share their low half in every partition and at every row count when the band's
/// first row is the same, and the filter picks the block from the low half, so a query's
/// checks of a band read one cache line.
///
/// Candidates are not verified; ``Deduplicator`` verifies them.
///
/// ```swift
/// var index = ContainmentIndex(signatureLength: 128)
/// index.insert(signatureOfPage, size: 900)
/// index.candidates(for: signatureOfReprint, size: 600, threshold: 0.8)   // [0]
/// ```
public struct ContainmentIndex: Sendable {
    /// Which containment a query asks for.
    public enum Direction: String, Sendable, Hashable, Codable {
        /// Documents X with C(Q ⊂ X) ≥ t: the query lies inside them.
        case queryInDocument
        /// Documents with C(Q ⊂ X) ≥ t or C(X ⊂ Q) ≥ t (the overlap coefficient).
        case either
    }

    /// Values per signature (k).
    public let signatureLength: Int
    /// Rows per band at most (rMax, the forest's depth).
    public let maximumRowsPerBand: Int
    /// Bands, k / rMax.
    public let bandCount: Int
    var tables: [_PostingShard]
    /// Whether a posting key's low half is a hash of its band's first row alone, the same at
    /// every row count in every partition (``lowHalf(firstRowKey:)``): set for an exact index
    /// (64 key bits), whose postings are never saved (a saved engine with whole signatures
    /// files them again from its signatures on load); an index of fewer key bits keeps the
    /// keys its saved postings were made with. Only a 64-bit index has them (the initializer
    /// checks): a query's filter prefetch reads the block from the low half alone.
    let partitionLocalKeys: Bool
    /// Shingle-set size of each document (0 for empty ones).
    var sizes: [Int32] = []
    var partitionCounts = [Int](repeating: 0, count: 64)
    var removedBits: [UInt64] = []
    /// The chosen banding for each Jaccard threshold on a grid of step 1/200, worked out the first
    /// time a query needs it.
    let choices: _BandingChoices
    /// The number of documents inserted, removed ones included.
    public internal(set) var count = 0

    /// An empty index.
    ///
    /// - Parameters:
    ///   - signatureLength: k (default 128).
    ///   - maximumRowsPerBand: rMax, 1...64 (default 4): bands are k / rMax.
    ///   - falsePositiveWeight: Weight of false positives when choosing a banding (default 0.5).
    ///   - falseNegativeWeight: Weight of false negatives (default 0.5).
    /// - Complexity: O(k / rMax) to set up the bands; the banding for each threshold (O(k)
    ///   32-interval integrals, about 0.2 ms) is chosen on its first query, not here.
    public init(
        signatureLength: Int = 128, maximumRowsPerBand: Int = 4,
        falsePositiveWeight: Double = 0.5, falseNegativeWeight: Double = 0.5
    ) {
        self.init(
            signatureLength: signatureLength, maximumRowsPerBand: maximumRowsPerBand, falsePositiveWeight: falsePositiveWeight,
            falseNegativeWeight: falseNegativeWeight, keyBits: 64)
    }

    /// An empty index that files the top `keyBits` bits of each posting key (64: exact; see
    /// ``_PostingShard``), with a key filter per band unless `filtered` is false (for tests:
    /// the candidates are the same either way), and partition-local keys if `partitionLocalKeys`
    /// (by default for 64 key bits; a file of an older format is written with whole mixed keys).
    init(
        signatureLength: Int, maximumRowsPerBand: Int, falsePositiveWeight: Double, falseNegativeWeight: Double, keyBits: Int,
        filtered: Bool = true, partitionLocalKeys: Bool? = nil
    ) {
        precondition(maximumRowsPerBand >= 1 && maximumRowsPerBand <= 64, "rows per band must be 1...64")
        precondition(signatureLength >= maximumRowsPerBand, "signature shorter than one band")
        // A query asks for each band's filter line by its low half alone, which picks the block
        // only of a whole 64-bit key (a shorter prefix drops the key's low bits).
        precondition(partitionLocalKeys != true || keyBits == 64, "partition-local keys are whole 64-bit keys")
        self.signatureLength = signatureLength
        self.maximumRowsPerBand = maximumRowsPerBand
        bandCount = Swift.min(255, signatureLength / maximumRowsPerBand)
        tables = (0..<bandCount).map { _ in _PostingShard(keyBits: keyBits, filtered: filtered) }
        self.partitionLocalKeys = partitionLocalKeys ?? (keyBits == 64)
        choices = _BandingChoices(
            bandCount: bandCount, maximumRowsPerBand: maximumRowsPerBand,
            falsePositiveWeight: falsePositiveWeight, falseNegativeWeight: falseNegativeWeight)
    }

    /// 2^(p/2) for p = 0...64: partition p holds sizes in [bound p, bound p+1).
    static let partitionLowerBounds: [Double] = (0...64).map { _power(2.0.squareRoot(), $0) }

    /// The size partition of a set of `size` shingles: ⌊2·log₂ size⌋.
    ///
    /// - Parameter size: At least 1.
    /// - Returns: p, with 2^(p/2) ≤ size < 2^((p+1)/2).
    public static func partition(ofSize size: Int) -> Int {
        precondition(size >= 1 && size < Int(Int32.max), "size must be in 1..<2^31")
        let exponent = Int.bitWidth - 1 - size.leadingZeroBitCount
        return 2 * exponent + (size * size >= 1 << (2 * exponent + 1) ? 1 : 0)
    }

    /// The Jaccard threshold that containment `threshold` becomes for a query of `querySize`
    /// shingles on the documents of `partition` (see "Method" above), or `nil` when none of
    /// them can reach it.
    @inline(__always)
    static func jaccardThreshold(partition: Int, querySize q: Double, threshold t: Double, direction: Direction) -> Double? {
        let lower = partitionLowerBounds[partition]
        let upper = partitionLowerBounds[partition + 1]
        var jaccard = Double.infinity
        if upper > t * q {
            jaccard = Swift.min(jaccard, t * q / (q + Swift.max(upper, q) - t * q))
        }
        if direction == .either && lower < q {
            jaccard = Swift.min(jaccard, t * lower / (lower + q - t * lower))
        }
        return jaccard.isFinite ? jaccard : nil
    }

    /// The banding a query uses on a partition whose converted Jaccard threshold is `threshold`.
    ///
    /// - Parameter threshold: A Jaccard threshold; rounded down to a multiple of 1/200.
    /// - Returns: b ≤ ``bandCount`` and r ≤ ``maximumRowsPerBand``.
    public func banding(forJaccardThreshold threshold: Double) -> BandingParameters {
        let step = Swift.min(200, Swift.max(0, Int((threshold * 200).rounded(.down))))
        let choice = choices.choice(step: step)
        return BandingParameters(bandCount: Int(choice >> 8), rowsPerBand: Int(choice & 0xFF))
    }

    /// Bytes held by the postings, sizes and removal bits.
    public var byteCount: Int { tables.reduce(0) { $0 + $1.byteCount } + sizes.count * 4 + removedBits.count * 8 }

    /// Whether `document` was inserted and not removed.
    public func contains(_ document: Int) -> Bool {
        document >= 0 && document < count && !_bit(removedBits, document)
    }

    /// The number of prefix keys ``prefixKeys(of:into:)`` writes per document: bands × rMax.
    var keysPerDocument: Int { bandCount * maximumRowsPerBand }

    /// How many filed rows ahead a band's filing asks for the row's prefix keys.
    static let rowPrefetchDistance = 8

    /// Writes the key of every prefix of every band of one signature: entry `band · rMax + r − 1`
    /// is ``BandKey`` of the band's first r values, seeded with the band index. Filing and
    /// querying mix these with a partition (``key(prefixKey:rows:partition:)``), so a document's
    /// prefixes are hashed once whatever the partitions a query probes.
    ///
    /// - Parameters:
    ///   - signature: k values.
    ///   - keys: Room for ``keysPerDocument`` keys.
    @inline(__always)
    func prefixKeys(of signature: UnsafePointer<UInt64>, into keys: UnsafeMutablePointer<UInt64>) {
        keying.keys(of: signature, into: keys)
    }

    /// The posting key of an r-row band prefix for a document in `partition`.
    ///
    /// Given a `lowHalf` (an index with ``partitionLocalKeys``), only the high half depends on
    /// the rows and the partition, and the low half is the band's
    /// (``lowHalf(firstRowKey:)``), so a query's keys for one band, at any row count in every
    /// partition it probes, share it, and a band's key filter picks the block from it
    /// (``_KeyFilterView/position(of:blockCount:)``): one cache line answers them all, where
    /// each partition's check was a cache miss of its own. Keys of one band that differ in
    /// prefix, rows or partition still differ in their 32 mixed high bits. Without one (an
    /// index of fewer key bits, whose saved postings were made so), the whole key mixes the
    /// prefix, the rows and the partition.
    @inline(__always)
    static func key(prefixKey: UInt64, rows: Int, partition: Int, lowHalf: UInt64?) -> UInt64 {
        let mixed = _mix64(prefixKey ^ (UInt64(partition) << 8 | UInt64(rows)) &* 0x9E37_79B9_7F4A_7C15)
        guard let lowHalf else { return mixed }
        return mixed & 0xFFFF_FFFF_0000_0000 | lowHalf
    }

    /// The low half of the partition-local keys of a band whose 1-row prefix key is
    /// `firstRowKey` (see ``key(prefixKey:rows:partition:lowHalf:)``); worked out once per band,
    /// not per row count or partition.
    @inline(__always)
    static func lowHalf(firstRowKey: UInt64) -> UInt64 {
        _mix64(firstRowKey ^ 0xC2B2_AE3D_27D4_EB4F) & 0xFFFF_FFFF
    }

    /// Files a signature and its set size; returns its document number.
    ///
    /// - Parameters:
    ///   - signature: k values.
    ///   - size: The document's number of distinct shingles (0 for an empty document, which is
    ///     numbered but not filed).
    /// - Returns: The new document's number.
    /// - Complexity: O(k·rMax) hashing, k inserts.
    @discardableResult
    public mutating func insert(_ signature: UnsafeBufferPointer<UInt64>, size: Int) -> Int {
        precondition(signature.count == signatureLength, "signature length mismatch")
        let empty = size == 0 || _isEmptySignature(signature)
        return withUnsafeTemporaryAllocation(of: UInt64.self, capacity: keysPerDocument) { keys in
            if !empty { prefixKeys(of: signature.baseAddress!, into: keys.baseAddress!) }
            return insert(prefixKeys: UnsafeBufferPointer(keys), sizes: [size], filedRows: empty ? [] : [0], threads: 1).lowerBound
        }
    }

    /// Files a signature given as an array.
    @discardableResult
    public mutating func insert(_ signature: [UInt64], size: Int) -> Int {
        signature.withUnsafeBufferPointer { insert($0, size: size) }
    }

    /// Files every row of `signatures` with its set size on `threads` cores, one worker per band.
    ///
    /// - Parameters:
    ///   - signatures: k values per row.
    ///   - newSizes: One set size per row.
    ///   - threads: Worker threads (default: all cores).
    /// - Returns: The new documents' numbers; the same for every thread count.
    @discardableResult
    public mutating func insert(
        contentsOf signatures: SignatureMatrix, sizes newSizes: [Int], threads: Int = Parallelism.defaultThreadCount
    ) -> Range<Int> {
        precondition(signatures.signatureLength == signatureLength && signatures.count == newSizes.count, "one size per signature")
        let n = signatures.count
        let width = keysPerDocument
        var keys = [UInt64](repeating: 0, count: n * width)
        var filed: [Int32] = []
        keys.withUnsafeMutableBufferPointer { keys in
            for row in 0..<n where newSizes[row] > 0 {
                signatures.withRow(row) { signature in
                    guard !_isEmptySignature(signature) else { return }
                    filed.append(Int32(row))
                    prefixKeys(of: signature.baseAddress!, into: keys.baseAddress! + row * width)
                }
            }
        }
        return keys.withUnsafeBufferPointer { insert(prefixKeys: $0, sizes: newSizes, filedRows: filed, threads: threads) }
    }

    /// Files documents by their precomputed prefix keys (``prefixKeys(of:into:)``, row-major,
    /// ``keysPerDocument`` per document) and set sizes. Rows not listed in `filedRows` (empty
    /// documents) get a number but are not filed.
    ///
    /// - Parameters:
    ///   - prefixKeys: One row of keys per new document.
    ///   - sizes: One set size per new document.
    ///   - filedRows: The rows to file, increasing.
    ///   - threads: Worker threads; the result does not depend on it.
    /// - Returns: The new documents' numbers.
    @discardableResult
    mutating func insert(prefixKeys: UnsafeBufferPointer<UInt64>, sizes newSizes: [Int], filedRows: [Int32], threads: Int) -> Range<Int> {
        let first = count
        guard let filing = number(prefixKeys: prefixKeys, sizes: newSizes, filedRows: filedRows) else { return first..<count }
        _PostingShard.fill(&tables, documents: filing.documents, threads: threads, keys: filing.keys)
        return first..<count
    }

    /// Files documents as ``insert(prefixKeys:sizes:filedRows:threads:)`` does and finds, for
    /// each row, the documents filed before it under the keys its query reads in its own size
    /// partition (``_BatchCandidates``): with containment threshold `threshold`, the r-row
    /// prefixes of the first b bands, (b, r) the banding of the own partition's Jaccard
    /// threshold. A ``Deduplicator`` reads them in place of the own partition's lookups
    /// (``forEachCandidate(prefixKeys:size:threshold:direction:collector:found:row:_:)``):
    /// filing probes each key's slot anyway, and a query's lookups in its own partition, where
    /// its filter cannot help, were about a fifth of the time on paragraphs.
    ///
    /// - Parameters:
    ///   - threshold: The containment threshold of the batch's queries (direction
    ///     ``Direction/either``).
    ///   - alongside: Work of the caller's that touches no band, run beside the bands' filing.
    /// - Returns: The new documents' numbers and the candidates found, by row.
    mutating func insertFindingEarlier(
        prefixKeys: UnsafeBufferPointer<UInt64>, sizes newSizes: [Int], filedRows: [Int32], threshold: Double, threads: Int,
        alongside: @Sendable () -> Void = {}
    ) -> (documents: Range<Int>, found: _BatchCandidates) {
        precondition(threshold > 0 && threshold <= 1, "threshold must be in (0, 1]")
        let first = count
        guard let filing = number(prefixKeys: prefixKeys, sizes: newSizes, filedRows: filedRows) else {
            alongside()
            return (first..<count, _BatchCandidates(rowCount: newSizes.count, shards: []))
        }
        // Each filed row's banding in its own partition; nil where the partition cannot reach
        // the threshold.
        let ownBandings = filedRows.map { row -> BandingParameters? in
            let size = newSizes[Int(row)]
            return Self.jaccardThreshold(
                partition: Self.partition(ofSize: size), querySize: Double(size), threshold: threshold, direction: .either
            ).map { banding(forJaccardThreshold: $0) }
        }
        let depth = maximumRowsPerBand
        let found = _PostingShard.fillFindingEarlier(
            &tables, documents: filing.documents, firstDocument: Int32(first), rowCount: newSizes.count, threads: threads,
            alongside: alongside, keys: filing.keys
        ) { band in
            var finds = [Bool](repeating: false, count: ownBandings.count * depth)
            for (position, banding) in ownBandings.enumerated() {
                guard let banding, band < banding.bandCount else { continue }
                finds[position * depth + banding.rowsPerBand - 1] = true
            }
            return finds
        }
        return (first..<count, found)
    }

    /// Numbers new documents and counts the filed rows' partitions; returns the document of each
    /// key a band files (`rMax` per filed row) and each band's keys, or `nil` when no row is
    /// filed.
    private mutating func number(
        prefixKeys: UnsafeBufferPointer<UInt64>, sizes newSizes: [Int], filedRows: [Int32]
    ) -> (documents: [Int32], keys: @Sendable (Int) -> [UInt64])? {
        precondition(count + newSizes.count < Int(Int32.max), "too many documents")
        let first = count
        count += newSizes.count
        sizes.append(contentsOf: newSizes.map { Int32($0) })
        guard !filedRows.isEmpty else { return nil }
        let partitions = filedRows.map { Self.partition(ofSize: newSizes[Int($0)]) }
        for partition in partitions { partitionCounts[partition] += 1 }
        let depth = maximumRowsPerBand
        let width = keysPerDocument
        let documents = filedRows.flatMap { repeatElement($0 + Int32(first), count: depth) }
        let source = SendableMutablePointer(base: UnsafeMutablePointer(mutating: prefixKeys.baseAddress!))
        let local = partitionLocalKeys
        // SAFETY: the caller reads the prefix keys only while the shards are filled.
        return (documents, { band in
            var keys: [UInt64] = []
            keys.reserveCapacity(documents.count)
            let ahead = Self.rowPrefetchDistance
            for (position, row) in filedRows.enumerated() {
                // A band's prefix keys are rMax words of each row of ``keysPerDocument`` (rows a
                // kilobyte apart at k = 128): a stride across pages that the hardware prefetcher
                // does not follow, so each row's first load missed the cache.
                // SAFETY: a filed row's band lies in the prefix keys; a prefetch reads nothing.
                if position &+ ahead < filedRows.count {
                    simk_prefetch(source.base + Int(filedRows[position &+ ahead]) * width + band * depth)
                }
                let row = source.base + Int(row) * width + band * depth
                let lowHalf = local ? Self.lowHalf(firstRowKey: row[0]) : nil
                for rows in 1...depth {
                    keys.append(Self.key(prefixKey: row[rows - 1], rows: rows, partition: partitions[position], lowHalf: lowHalf))
                }
            }
            return keys
        })
    }

    /// Marks `document` removed.
    ///
    /// - Returns: Whether it was present.
    @discardableResult
    public mutating func remove(_ document: Int) -> Bool {
        guard contains(document) else { return false }
        _setBit(&removedBits, document)
        if sizes[document] > 0 { partitionCounts[Self.partition(ofSize: Int(sizes[document]))] -= 1 }
        return true
    }

    /// The documents likely to meet the containment threshold with the query, in increasing order.
    ///
    /// - Parameters:
    ///   - signature: The query's k values.
    ///   - size: The query's number of distinct shingles.
    ///   - threshold: The containment to reach, in (0, 1].
    ///   - direction: Whether only the query must be contained, or either document (default).
    /// - Returns: Distinct live candidates (unverified).
    public func candidates(
        for signature: [UInt64], size: Int, threshold: Double, direction: Direction = .either
    ) -> [Int] {
        var found: [Int] = []
        let collector = _CandidateCollector(shards: tables)
        signature.withUnsafeBufferPointer { query in
            forEachCandidate(of: query, size: size, threshold: threshold, direction: direction, collector: collector) {
                found.append($0)
            }
        }
        return found
    }

    /// Calls `body` once per distinct live candidate, in increasing order.
    func forEachCandidate(
        of signature: UnsafeBufferPointer<UInt64>, size: Int, threshold: Double, direction: Direction,
        collector: _CandidateCollector, _ body: (Int) -> Void
    ) {
        precondition(signature.count == signatureLength, "signature length mismatch")
        guard size > 0, !_isEmptySignature(signature) else { return }
        withUnsafeTemporaryAllocation(of: UInt64.self, capacity: keysPerDocument) { keys in
            prefixKeys(of: signature.baseAddress!, into: keys.baseAddress!)
            forEachCandidate(
                prefixKeys: UnsafeBufferPointer(keys), size: size, threshold: threshold, direction: direction, collector: collector, body)
        }
    }

    /// Calls `body` once per distinct live candidate of a query given by its prefix keys
    /// (``prefixKeys(of:into:)``) and set size, in increasing order.
    ///
    /// For each non-empty partition the containment threshold becomes a Jaccard threshold, which
    /// picks a banding (b, r); the query looks up the r-row prefix of its first b bands.
    ///
    /// Given `found`, what the filing of the query's batch found for it, row `row`
    /// (``insertFindingEarlier(prefixKeys:sizes:filedRows:threshold:threads:alongside:)``, with
    /// this threshold and ``Direction/either``; not overflowed), the query's own partition is not
    /// looked up: its documents there are the ones found (only those filed before the query's).
    func forEachCandidate(
        prefixKeys: UnsafeBufferPointer<UInt64>, size: Int, threshold: Double, direction: Direction,
        collector: _CandidateCollector, found: _BatchCandidates? = nil, row: Int = 0, _ body: (Int) -> Void
    ) {
        precondition(found == nil || direction == .either, "candidates found while filing are for direction .either")
        precondition(threshold > 0 && threshold <= 1, "threshold must be in (0, 1]")
        guard size > 0 else { return }
        let q = Double(size)
        let t = threshold
        let depth = maximumRowsPerBand
        let skipsOwnPartition = found != nil
        // The partition the query would be filed in (none for a size no document can have).
        let ownPartition = size < Int(Int32.max) ? Self.partition(ofSize: size) : -1
        collector.removeAll()
        found?.forEachDocument(ofRow: row) { collector.append($0) }
        let views = collector.views
        let selected = collector.selectedViews
        precondition(views.count == bandCount, "a collector for another index")
        // Pass 1: every probed partition's banding and keys, and for the partitions other than
        // the query's own the filter lines the keys will be checked against, asked for all at
        // once (a query probes about nine partitions of up to 32 bands, and each check was a
        // cache miss that the branch on its outcome kept from overlapping the next ones).
        // Pass 2: each partition's checks and lookups.
        // SAFETY: at most `partitionCounts.count` partitions of at most bandCount keys fit
        // `partitionKeys`, and their (partition, bands) `probed`; one key and one low half per
        // band (b ≤ bandCount = views.count = selected.count); the views' layers fit the
        // collector's scratch, which was sized for all of them.
        let partitionLimit = partitionCounts.count
        withUnsafeTemporaryAllocation(of: UInt64.self, capacity: partitionLimit * (bandCount + 1) + 2 * bandCount) { buffer in
            let partitionKeys = buffer.baseAddress!
            let keys = UnsafeMutableBufferPointer(start: partitionKeys + partitionLimit * bandCount, count: bandCount)
            // partition << 32 | bands of each probed partition, in pass 1's order.
            let probed = partitionKeys + partitionLimit * bandCount + bandCount
            // Each band's low half, the same in every partition.
            let lowHalves = probed + partitionLimit
            if partitionLocalKeys {
                for band in 0..<bandCount { lowHalves[band] = Self.lowHalf(firstRowKey: prefixKeys[band * depth]) }
            }
            var probedCount = 0
            // Bands whose filter line was asked for (partition-local keys: one line a band).
            var bandsAskedFor = 0
            for partition in 0..<partitionLimit where partitionCounts[partition] > 0 && !(skipsOwnPartition && partition == ownPartition) {
                guard let jaccard = Self.jaccardThreshold(partition: partition, querySize: q, threshold: t, direction: direction) else {
                    continue
                }
                let banding = banding(forJaccardThreshold: jaccard)
                let rows = banding.rowsPerBand
                let row = partitionKeys + probedCount * bandCount
                if partitionLocalKeys && partition != ownPartition {
                    // A band's keys in every partition share its low half, which picks the
                    // filter block (and partition-local keys are whole 64-bit prefixes), so
                    // each band's line is asked for once, by the first partition to check it:
                    // asking again for each partition (about 250 prefetches a paragraph's query
                    // for about 32 lines) filled the line-fill buffers, and the prefetches
                    // waited.
                    for band in bandsAskedFor..<Swift.max(bandsAskedFor, banding.bandCount) {
                        views[band].prefetchFilter(key: lowHalves[band])
                    }
                    bandsAskedFor = Swift.max(bandsAskedFor, banding.bandCount)
                }
                for band in 0..<banding.bandCount {
                    row[band] = Self.key(
                        prefixKey: prefixKeys[band * depth + rows - 1], rows: rows, partition: partition,
                        lowHalf: partitionLocalKeys ? lowHalves[band] : nil)
                    if !partitionLocalKeys && partition != ownPartition { views[band].prefetchFilter(key: row[band]) }
                }
                probed[probedCount] = UInt64(partition) << 32 | UInt64(banding.bandCount)
                probedCount += 1
            }
            for index in 0..<probedCount {
                let partition = Int(probed[index] >> 32)
                let row = partitionKeys + index * bandCount
                var lookups = 0
                for band in 0..<Int(probed[index] & 0xFFFF_FFFF) {
                    let key = row[band]
                    // The query's own keys lie in its own partition, where the filter would
                    // always say "maybe"; in the others most keys were never filed, which the
                    // band's filter tells from one cache line.
                    guard partition == ownPartition || views[band].mayHold(key: key) else { continue }
                    keys[lookups] = key
                    selected[lookups] = views[band]
                    lookups += 1
                }
                // All lookups at once, so their cache misses overlap (``_ShardView/forEachDocument(in:withKeys:scratch:_:)``).
                _ShardView.forEachDocument(
                    in: UnsafeMutableBufferPointer(rebasing: selected[0..<lookups]), withKeys: UnsafeBufferPointer(rebasing: keys[0..<lookups]),
                    scratch: collector.scratch) { collector.append($0) }
            }
        }
        collector.forEachDistinct { document in
            if !_bit(removedBits, document) { body(document) }
        }
    }
}

/// Whether bit `index` of a bit array is set (bits past the end are clear).
@inline(__always)
func _bit(_ bits: [UInt64], _ index: Int) -> Bool {
    let word = index >> 6
    return word < bits.count && bits[word] & (1 << UInt64(index & 63)) != 0
}

/// Sets bit `index` of a bit array, growing it as needed.
func _setBit(_ bits: inout [UInt64], _ index: Int) {
    let word = index >> 6
    if bits.count <= word { bits.append(contentsOf: repeatElement(0, count: word + 1 - bits.count)) }
    bits[word] |= 1 << UInt64(index & 63)
}

/// The banding a ``ContainmentIndex`` query uses for each Jaccard threshold on a grid of step
/// 1/200, chosen on first use: the b ≤ `bandCount`, r ≤ rMax minimizing the weighted false
/// positive and false negative areas (Simpson's rule, 32 intervals). Choosing all 201 at once
/// costs about 35 ms, which a process that dedupes a handful of documents should not pay before
/// its first one; each is chosen the first time a query needs it.
///
/// Shared by the copies of an index (a class), and safe to read from any thread: a slot holds 0
/// until its choice `b << 8 | r` is stored with one relaxed atomic store. The choice is a
/// deterministic function of the parameters, so two threads that fill one slot at once store
/// the same value, and the value is its own data (nothing else is published with it).
final class _BandingChoices: @unchecked Sendable {
    // SAFETY: `slots` is read and written only through simk_load_relaxed_u32 and
    // simk_store_relaxed_u32; it is never freed before the object, and every value stored in a
    // slot is the same for every thread (see above).
    private let slots: UnsafeMutablePointer<UInt32>
    let bandCount: Int
    let maximumRowsPerBand: Int
    let falsePositiveWeight: Double
    let falseNegativeWeight: Double

    init(bandCount: Int, maximumRowsPerBand: Int, falsePositiveWeight: Double, falseNegativeWeight: Double) {
        self.bandCount = bandCount
        self.maximumRowsPerBand = maximumRowsPerBand
        self.falsePositiveWeight = falsePositiveWeight
        self.falseNegativeWeight = falseNegativeWeight
        slots = .allocate(capacity: 201)
        slots.initialize(repeating: 0, count: 201)
    }

    deinit { slots.deallocate() }

    /// The choice `b << 8 | r` for threshold `step / 200`.
    @inline(__always)
    func choice(step: Int) -> UInt16 {
        let stored = simk_load_relaxed_u32(slots + step)
        if stored != 0 { return UInt16(truncatingIfNeeded: stored) }
        let chosen = choose(step: step)
        simk_store_relaxed_u32(slots + step, UInt32(chosen))
        return chosen
    }

    /// Works out the choice for threshold `step / 200` (clamped to [0.001, 0.999]).
    @inline(never)
    private func choose(step: Int) -> UInt16 {
        let threshold = Swift.min(0.999, Swift.max(0.001, Double(step) / 200))
        var best: UInt16 = 1 << 8 | 1
        var bestError = Double.infinity
        for b in 1...bandCount {
            for r in 1...maximumRowsPerBand {
                let fp = BandingParameters.integrate(from: 0, to: threshold, intervals: 32) {
                    BandingParameters.candidateProbability($0, bands: b, rows: r)
                }
                let fn = BandingParameters.integrate(from: threshold, to: 1, intervals: 32) {
                    1 - BandingParameters.candidateProbability($0, bands: b, rows: r)
                }
                let error = falsePositiveWeight * fp + falseNegativeWeight * fn
                if error < bestError - 1e-15 {
                    bestError = error
                    best = UInt16(b) << 8 | UInt16(r)
                }
            }
        }
        return best
    }
}

extension ContainmentIndex {
    /// Checks what queries and inserts rely on: one posting shard per band, each whole
    /// (``_PostingShard/_checkInvariants(documentLimit:)``), one set size per document, each
    /// below 2³¹ − 1, no negative partition count, and no removal bit past ``count``.
    ///
    /// - Parameter walkingPostings: Whether every posting entry is checked too (a loader whose
    ///   postings were checked as they were read, or filed here, passes `false`).
    /// - Throws: ``IndexFileError/corrupt(_:)`` naming the first violation.
    /// - Complexity: O(count + entries) over all bands with `walkingPostings`, O(count)
    ///   without.
    package func _checkInvariants(walkingPostings: Bool = true) throws(IndexFileError) {
        guard tables.count == bandCount, bandCount * maximumRowsPerBand <= signatureLength,
              count >= 0, count < Int(Int32.max), sizes.count == count else {
            throw .corrupt("containment index shape")
        }
        guard sizes.allSatisfy({ $0 >= 0 && $0 < Int32.max }) else { throw .corrupt("a set size out of range") }
        guard partitionCounts.count == 64, partitionCounts.allSatisfy({ $0 >= 0 }) else { throw .corrupt("partition counts") }
        if let last = removedBits.lastIndex(where: { $0 != 0 }),
           last * 64 + 63 - removedBits[last].leadingZeroBitCount >= count {
            throw .corrupt("a removal bit past the last document")
        }
        guard walkingPostings else { return }
        for table in tables { try table._checkInvariants(documentLimit: count) }
    }
}
