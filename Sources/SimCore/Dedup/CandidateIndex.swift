/// The index a ``Deduplicator`` draws candidates from, seen through what the engine needs: the
/// keys each document is filed under (computed once per document, outside the engine's lock),
/// filing (finding candidates on the way: all of a Jaccard query's, a containment query's in
/// its own size partition), and querying with the same keys. ``MinHashLSH`` serves Jaccard, ``ContainmentIndex``
/// the overlap coefficient.
protocol _CandidateIndex: Sendable {
    /// How a signature becomes this index's keys.
    var keying: _IndexKeying { get }
    /// Bytes held by the index.
    var byteCount: Int { get }
    /// The banding, for a Jaccard index; `nil` for a containment index.
    var jaccardBanding: BandingParameters? { get }
    /// The number of documents numbered so far (filed or not).
    var count: Int { get }

    /// Checks the index's structure (see ``MinHashLSH/_checkInvariants(walkingPostings:)``);
    /// without `walkingPostings`, not every posting entry.
    func _checkInvariants(walkingPostings: Bool) throws(IndexFileError)

    /// Files one row of keys per new document (``_IndexKeying/keysPerDocument`` each); rows not
    /// in `filedRows` (empty documents) get a number but are not filed.
    mutating func insert(keys: UnsafeBufferPointer<UInt64>, sizes: [Int], filedRows: [Int32], threads: Int)

    /// Files like ``insert(keys:sizes:filedRows:threads:)`` and returns what the filing finds
    /// of each row's candidates (``_BatchCandidates``): the documents filed before the row's
    /// under one of the keys its query reads (all of ``MinHashLSH``'s; those in the row's own
    /// size partition of ``ContainmentIndex``'s, for queries with `threshold`), which
    /// ``forEachCandidate(found:row:keys:size:threshold:collector:_:)`` reads in place of those
    /// lookups. `alongside` is work of the caller's that touches no shard, run beside the
    /// filing.
    mutating func insertFindingCandidates(
        keys: UnsafeBufferPointer<UInt64>, sizes: [Int], filedRows: [Int32], threshold: Double, threads: Int,
        alongside: @Sendable () -> Void
    ) -> _BatchCandidates

    /// Whether `document` was inserted and not removed.
    func contains(_ document: Int) -> Bool

    /// Calls `body` once per distinct live document that shares a key with the query, in
    /// increasing order (with fewer than 64 key bits, a key's top bits; see ``_PostingShard``).
    func forEachCandidate(
        keys: UnsafeBufferPointer<UInt64>, size: Int, threshold: Double, collector: _CandidateCollector, _ body: (Int) -> Void)

    /// Calls `body` once per distinct live candidate of row `row` of a batch whose filing found
    /// candidates (``insertFindingCandidates(keys:sizes:filedRows:threshold:threads:alongside:)``,
    /// with the same threshold) and did not overflow (``_BatchCandidates/isOverflowed(_:)``), in
    /// increasing order: what ``forEachCandidate(keys:size:threshold:collector:_:)`` would
    /// return below the row's document, with the row's `keys` and `size` looked up only where
    /// the filing did not look.
    func forEachCandidate(
        found: _BatchCandidates, row: Int, keys: UnsafeBufferPointer<UInt64>, size: Int, threshold: Double,
        collector: _CandidateCollector, _ body: (Int) -> Void)

    /// The posting shards, one per band, as a state file saves them when the signatures it
    /// keeps are too short to compute the keys again.
    var shards: [_PostingShard] { get }

    /// Numbers `sizes.count` new documents and takes saved posting shards as they are, instead
    /// of filing keys: the other half of ``shards``.
    ///
    /// - Throws: ``IndexFileError/corrupt(_:)`` when the shards do not fit this index.
    mutating func restore(shards: [_PostingShard], sizes: [Int], filedRows: [Int32]) throws

    /// Merges every shard's recent inserts and compact layers into one compact layer, on `threads` cores.
    mutating func compact(threads: Int)
}

/// How an index turns a signature into the keys it files a document under: an immutable value
/// that batch code shares across threads.
enum _IndexKeying: Sendable, Hashable {
    /// b band keys (``MinHashLSH``).
    case bands(BandingParameters)
    /// The keys of every 1…rMax-row prefix of every band (``ContainmentIndex``).
    case prefixes(bandCount: Int, depth: Int)

    /// Keys per document.
    var keysPerDocument: Int {
        switch self {
        case .bands(let banding): banding.bandCount
        case .prefixes(let bandCount, let depth): bandCount * depth
        }
    }

    /// Writes the keys of one signature.
    ///
    /// - Parameters:
    ///   - signature: k values.
    ///   - keys: Room for ``keysPerDocument`` keys.
    @inline(__always)
    func keys(of signature: UnsafePointer<UInt64>, into keys: UnsafeMutablePointer<UInt64>) {
        switch self {
        case .bands(let banding):
            banding.bandKeys(of: signature, into: keys)
        case .prefixes(let bandCount, let depth):
            for band in 0..<bandCount {
                for rows in 1...depth {
                    keys[band &* depth &+ rows &- 1] = _bandKey(signature + band * depth, rows, UInt64(band))
                }
            }
        }
    }
}

extension MinHashLSH: _CandidateIndex {
    var keying: _IndexKeying { .bands(banding) }
    var jaccardBanding: BandingParameters? { banding }

    mutating func insert(keys: UnsafeBufferPointer<UInt64>, sizes: [Int], filedRows: [Int32], threads: Int) {
        insert(bandKeys: keys, count: sizes.count, filedRows: filedRows, threads: threads)
    }

    mutating func insertFindingCandidates(
        keys: UnsafeBufferPointer<UInt64>, sizes: [Int], filedRows: [Int32], threshold: Double, threads: Int,
        alongside: @Sendable () -> Void
    ) -> _BatchCandidates {
        insertFindingEarlier(bandKeys: keys, count: sizes.count, filedRows: filedRows, threads: threads, alongside: alongside).found
    }

    /// Every key of the row was looked up while filing: its candidates are the ones found.
    func forEachCandidate(
        found: _BatchCandidates, row: Int, keys: UnsafeBufferPointer<UInt64>, size: Int, threshold: Double,
        collector: _CandidateCollector, _ body: (Int) -> Void
    ) {
        collector.removeAll()
        found.forEachDocument(ofRow: row) { collector.append($0) }
        collector.forEachDistinct { document in
            if contains(document) { body(document) }
        }
    }

    func forEachCandidate(
        keys: UnsafeBufferPointer<UInt64>, size: Int, threshold: Double, collector: _CandidateCollector, _ body: (Int) -> Void
    ) {
        guard size > 0 else { return }
        forEachCandidate(bandKeys: keys, collector: collector, body)
    }

    var shards: [_PostingShard] { tables }

    mutating func restore(shards: [_PostingShard], sizes: [Int], filedRows: [Int32]) throws {
        guard count == 0, shards.count == banding.bandCount, shards.allSatisfy({ $0.keyBits == keyBits }) else {
            throw IndexFileError.corrupt("band table count")
        }
        tables = shards
        count = sizes.count
    }

    mutating func compact(threads: Int) { _PostingShard.compact(&tables, threads: threads) }
}

extension ContainmentIndex: _CandidateIndex {
    var keying: _IndexKeying { .prefixes(bandCount: bandCount, depth: maximumRowsPerBand) }
    var jaccardBanding: BandingParameters? { nil }

    mutating func insert(keys: UnsafeBufferPointer<UInt64>, sizes: [Int], filedRows: [Int32], threads: Int) {
        insert(prefixKeys: keys, sizes: sizes, filedRows: filedRows, threads: threads)
    }

    mutating func insertFindingCandidates(
        keys: UnsafeBufferPointer<UInt64>, sizes: [Int], filedRows: [Int32], threshold: Double, threads: Int,
        alongside: @Sendable () -> Void
    ) -> _BatchCandidates {
        insertFindingEarlier(
            prefixKeys: keys, sizes: sizes, filedRows: filedRows, threshold: threshold, threads: threads, alongside: alongside
        ).found
    }

    /// The own partition's candidates are the ones found; the other partitions are looked up.
    func forEachCandidate(
        found: _BatchCandidates, row: Int, keys: UnsafeBufferPointer<UInt64>, size: Int, threshold: Double,
        collector: _CandidateCollector, _ body: (Int) -> Void
    ) {
        forEachCandidate(
            prefixKeys: keys, size: size, threshold: threshold, direction: .either, collector: collector, found: found, row: row, body)
    }

    func forEachCandidate(
        keys: UnsafeBufferPointer<UInt64>, size: Int, threshold: Double, collector: _CandidateCollector, _ body: (Int) -> Void
    ) {
        forEachCandidate(prefixKeys: keys, size: size, threshold: threshold, direction: .either, collector: collector, body)
    }

    var shards: [_PostingShard] { tables }

    mutating func compact(threads: Int) { _PostingShard.compact(&tables, threads: threads) }

    mutating func restore(shards: [_PostingShard], sizes newSizes: [Int], filedRows: [Int32]) throws {
        guard count == 0, shards.count == bandCount, shards.allSatisfy({ $0.keyBits == tables[0].keyBits }) else {
            throw IndexFileError.corrupt("band table count")
        }
        // A file holds no filters (``_KeyFilter``): each shard's is built from its entries.
        tables = shards
        _PostingShard.addFilters(&tables, threads: Parallelism.defaultThreadCount)
        count = newSizes.count
        sizes = newSizes.map { Int32($0) }
        for row in filedRows {
            guard Int(row) < newSizes.count, newSizes[Int(row)] > 0 else { throw IndexFileError.corrupt("filed row") }
            partitionCounts[Self.partition(ofSize: newSizes[Int(row)])] += 1
        }
    }
}
