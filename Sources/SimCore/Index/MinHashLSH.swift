import SimCoreInternals

/// A MinHash LSH index (banding): finds the documents whose signatures agree with a query's on
/// every row of at least one band, i.e. the candidates for Jaccard similarity above a threshold.
///
/// Documents are numbered 0, 1, 2, … in insertion order. Each band is one shard of postings
/// from 64-bit band keys (``BandKey``) to document numbers, log-structured: a few compact sorted
/// layers (Elias–Fano over the keys, about 8 bytes per entry at a million documents) and a small
/// hash table for recent inserts, which becomes a compact layer as it fills; layers of similar
/// size are merged, so each entry is rewritten O(log n) times.
/// ``insert(contentsOf:threads:)`` computes band keys on all cores and fills the shards in
/// parallel, one worker per shard, with no locks; a batch filed into an empty index becomes its
/// compact layer directly.
///
/// Removal marks a document dead: queries skip it, its postings stay (numbers never change).
///
/// Empty documents (signatures of all `UInt64.max`) get a number but are not filed: an empty
/// document is nobody's duplicate.
///
/// A value type; not synchronized. Wrap it in a lock to share it (``Deduplicator`` does).
///
/// ```swift
/// var index = MinHashLSH(signatureLength: 128, threshold: 0.8)
/// let a = index.insert(signatureOfA)        // 0
/// index.candidates(for: signatureOfNearCopyOfA)   // [0]
/// ```
public struct MinHashLSH: Sendable {
    /// Values per signature (k).
    public let signatureLength: Int
    /// How signatures are cut into bands.
    public let banding: BandingParameters
    var tables: [_PostingShard]
    /// One bit per document number: set when the document was removed.
    var removedBits: [UInt64] = []
    /// The number of documents inserted, removed ones included.
    public internal(set) var count = 0
    /// The number of documents removed.
    public internal(set) var removedCount = 0

    /// An empty index with banding set by hand.
    ///
    /// - Parameters:
    ///   - signatureLength: k, the values per signature; at least b·r.
    ///   - banding: b and r.
    public init(signatureLength: Int, banding: BandingParameters) {
        self.init(signatureLength: signatureLength, banding: banding, keyBits: 64)
    }

    /// An empty index that files the top `keyBits` bits of each band key (64: exact; see
    /// ``_PostingShard``): a ``Deduplicator`` whose signatures are truncated files 32, and
    /// rejects the few extra candidates by verification.
    init(signatureLength: Int, banding: BandingParameters, keyBits: Int) {
        precondition(banding.signatureValuesUsed <= signatureLength, "b·r must not exceed the signature length")
        self.signatureLength = signatureLength
        self.banding = banding
        tables = (0..<banding.bandCount).map { _ in _PostingShard(keyBits: keyBits) }
    }

    /// Bits of each band key the postings keep (64 for an index made by the public initializers).
    var keyBits: Int { tables.first?.keyBits ?? 64 }

    /// An empty index whose banding is chosen for a Jaccard threshold.
    ///
    /// - Parameters:
    ///   - signatureLength: k, the values per signature.
    ///   - threshold: The Jaccard similarity candidates should reach, in (0, 1).
    ///   - falsePositiveWeight: Weight of false positives in the choice (default 0.5).
    ///   - falseNegativeWeight: Weight of false negatives in the choice (default 0.5).
    public init(
        signatureLength: Int, threshold: Double,
        falsePositiveWeight: Double = 0.5, falseNegativeWeight: Double = 0.5
    ) {
        self.init(
            signatureLength: signatureLength,
            banding: .optimal(
                threshold: threshold, signatureLength: signatureLength,
                falsePositiveWeight: falsePositiveWeight, falseNegativeWeight: falseNegativeWeight))
    }

    /// The number of documents that are in the index (inserted and not removed).
    public var liveCount: Int { count - removedCount }

    /// Bytes held by the postings and the removal bits.
    public var byteCount: Int { tables.reduce(0) { $0 + $1.byteCount } + removedBits.count * 8 }

    /// Whether `document` was inserted and not removed.
    public func contains(_ document: Int) -> Bool {
        document >= 0 && document < count && !isRemoved(document)
    }

    @inline(__always)
    func isRemoved(_ document: Int) -> Bool { _bit(removedBits, document) }

    /// Files one signature; returns its document number.
    ///
    /// - Parameter signature: k values.
    /// - Returns: The new document's number, ``count`` before the call.
    /// - Complexity: O(b·r) amortized.
    @discardableResult
    public mutating func insert(_ signature: UnsafeBufferPointer<UInt64>) -> Int {
        precondition(signature.count == signatureLength, "signature length mismatch")
        precondition(count < Int(Int32.max), "too many documents")
        let document = count
        count += 1
        guard !_isEmptySignature(signature) else { return document }
        withUnsafeTemporaryAllocation(of: UInt64.self, capacity: banding.bandCount) { keys in
            bandKeys(of: signature.baseAddress!, into: keys.baseAddress!)
            for band in 0..<banding.bandCount {
                tables[band].insert(key: keys[band], document: Int32(document))
            }
        }
        return document
    }

    /// Files one signature given as an array; returns its document number.
    @discardableResult
    public mutating func insert(_ signature: [UInt64]) -> Int {
        signature.withUnsafeBufferPointer { insert($0) }
    }

    /// Files every row of `signatures` on `threads` cores; returns their document numbers.
    ///
    /// Band keys are computed in document chunks, then each band's shard is filled by one
    /// worker. The result is the same for every thread count.
    ///
    /// - Parameters:
    ///   - signatures: One signature per row, of length k.
    ///   - threads: Worker threads (default: all cores).
    /// - Returns: The new documents' numbers, in row order.
    /// - Complexity: O(n·b·r) work, O(n·b) extra memory while building.
    @discardableResult
    public mutating func insert(
        contentsOf signatures: SignatureMatrix, threads: Int = Parallelism.defaultThreadCount
    ) -> Range<Int> {
        precondition(signatures.signatureLength == signatureLength, "signature length mismatch")
        let n = signatures.count
        let b = banding.bandCount
        let k = signatureLength
        let banding = self.banding
        var keys = [UInt64](repeating: 0, count: n * b)
        let filed: [[Int32]] = keys.withUnsafeMutableBufferPointer { keyBuffer in
            let output = SendableMutablePointer(base: keyBuffer.baseAddress!)
            return signatures.values.withUnsafeBufferPointer { values in
                let source = SendableMutablePointer(base: UnsafeMutablePointer(mutating: values.baseAddress!))
                return concurrentChunks(count: n, threads: threads, minimumChunk: 256) { range in
                    var kept: [Int32] = []
                    kept.reserveCapacity(range.count)
                    for row in range {
                        // SAFETY: rows are disjoint across chunks; each row's b keys have one writer.
                        let signature = UnsafeBufferPointer(start: source.base + row * k, count: k)
                        guard !_isEmptySignature(signature) else { continue }
                        kept.append(Int32(row))
                        banding.bandKeys(of: signature.baseAddress!, into: output.base + row * b)
                    }
                    return kept
                }
            }
        }
        return keys.withUnsafeBufferPointer { insert(bandKeys: $0, count: n, filedRows: filed.flatMap { $0 }, threads: threads) }
    }

    /// The number of keys ``bandKeys(of:into:)`` writes per document: b.
    var keysPerDocument: Int { banding.bandCount }

    /// Writes the b band keys of one signature (``BandKey`` of each band's r values).
    ///
    /// - Parameters:
    ///   - signature: k values.
    ///   - keys: Room for b keys.
    @inline(__always)
    func bandKeys(of signature: UnsafePointer<UInt64>, into keys: UnsafeMutablePointer<UInt64>) {
        banding.bandKeys(of: signature, into: keys)
    }

    /// Files documents by their precomputed band keys: row-major, b keys per document, one row
    /// per new document. Rows not listed in `filedRows` (empty documents) get a number but are
    /// not filed.
    ///
    /// - Parameters:
    ///   - bandKeys: `n × b` keys.
    ///   - n: The number of new documents.
    ///   - filedRows: The rows to file, increasing.
    ///   - threads: Worker threads; the result does not depend on it.
    /// - Returns: The new documents' numbers.
    @discardableResult
    mutating func insert(bandKeys: UnsafeBufferPointer<UInt64>, count n: Int, filedRows: [Int32], threads: Int) -> Range<Int> {
        let first = count
        if let documents = number(count: n, bandKeys: bandKeys, filedRows: filedRows) {
            Self.withBandColumns(of: bandKeys, filedRows: filedRows, bandCount: banding.bandCount) { keys in
                _PostingShard.fill(&tables, documents: documents, threads: threads, keys: keys)
            }
        }
        return first..<count
    }

    /// Files documents by their precomputed band keys as
    /// ``insert(bandKeys:count:filedRows:threads:)`` does, and finds, for each row, the
    /// documents filed before it under any of its keys (``_BatchCandidates``), which a
    /// ``Deduplicator`` reads in place of a query.
    ///
    /// - Parameter alongside: Work of the caller's that touches no band, run beside the bands'
    ///   filing (as one more of its tasks).
    /// - Returns: The new documents' numbers and the candidates found, by row.
    mutating func insertFindingEarlier(
        bandKeys: UnsafeBufferPointer<UInt64>, count n: Int, filedRows: [Int32], threads: Int,
        alongside: @Sendable () -> Void = {}
    ) -> (documents: Range<Int>, found: _BatchCandidates) {
        let first = count
        guard let documents = number(count: n, bandKeys: bandKeys, filedRows: filedRows) else {
            alongside()
            return (first..<count, _BatchCandidates(rowCount: n, shards: []))
        }
        let found = Self.withBandColumns(of: bandKeys, filedRows: filedRows, bandCount: banding.bandCount) { keys in
            _PostingShard.fillFindingEarlier(
                &tables, documents: documents, firstDocument: Int32(first), rowCount: n, threads: threads, alongside: alongside,
                keys: keys)
        }
        return (first..<count, found)
    }

    /// Numbers `n` new documents; returns the document numbers of the filed rows, or `nil` when
    /// no row is filed.
    private mutating func number(count n: Int, bandKeys: UnsafeBufferPointer<UInt64>, filedRows: [Int32]) -> [Int32]? {
        precondition(bandKeys.count >= n * banding.bandCount, "one row of b keys per document")
        precondition(count + n < Int(Int32.max), "too many documents")
        let first = count
        count += n
        return filedRows.isEmpty ? nil : filedRows.map { $0 + Int32(first) }
    }

    /// Calls `body` with a function giving band `band`'s keys of the filed rows (column `band`
    /// of the row-major `n × b` key matrix), for the shards' workers to read while `body` runs.
    private static func withBandColumns<R>(
        of bandKeys: UnsafeBufferPointer<UInt64>, filedRows: [Int32], bandCount b: Int,
        _ body: (_ keys: @Sendable (Int) -> [UInt64]) -> R
    ) -> R {
        guard let base = bandKeys.baseAddress else { return body { _ in [] } }
        let source = SendableMutablePointer(base: UnsafeMutablePointer(mutating: base))
        // SAFETY: the matrix is only read, by rows the caller filed, and only while `body` runs.
        return body { band in filedRows.map { source.base[Int($0) * b + band] } }
    }

    /// Marks `document` removed: later queries no longer return it.
    ///
    /// - Parameter document: A number returned by an insert.
    /// - Returns: Whether it was present.
    @discardableResult
    public mutating func remove(_ document: Int) -> Bool {
        guard contains(document) else { return false }
        _setBit(&removedBits, document)
        removedCount += 1
        return true
    }

    /// The documents sharing at least one band with `signature`, in increasing order.
    ///
    /// - Parameter signature: k values.
    /// - Returns: Distinct live document numbers.
    /// - Complexity: O(b·r + candidates · log candidates).
    public func candidates(for signature: UnsafeBufferPointer<UInt64>) -> [Int] {
        var found: [Int] = []
        let collector = _CandidateCollector(shards: tables)
        forEachCandidate(of: signature, collector: collector) { found.append($0) }
        return found
    }

    /// The documents sharing at least one band with `signature` (an array), in increasing order.
    public func candidates(for signature: [UInt64]) -> [Int] {
        signature.withUnsafeBufferPointer { candidates(for: $0) }
    }

    /// Calls `body` once per distinct live candidate of `signature`, in increasing order.
    func forEachCandidate(of signature: UnsafeBufferPointer<UInt64>, collector: _CandidateCollector, _ body: (Int) -> Void) {
        precondition(signature.count == signatureLength, "signature length mismatch")
        guard !_isEmptySignature(signature) else { return }
        withUnsafeTemporaryAllocation(of: UInt64.self, capacity: banding.bandCount) { keys in
            bandKeys(of: signature.baseAddress!, into: keys.baseAddress!)
            forEachCandidate(bandKeys: UnsafeBufferPointer(keys), collector: collector, body)
        }
    }

    /// Calls `body` once per distinct live document filed under any of a query's b band keys,
    /// in increasing order.
    ///
    /// - Parameters:
    ///   - bandKeys: The query's b keys (``bandKeys(of:into:)``).
    ///   - collector: Working space and views of this index's shards (one per thread).
    ///   - body: Receives each candidate.
    func forEachCandidate(bandKeys: UnsafeBufferPointer<UInt64>, collector: _CandidateCollector, _ body: (Int) -> Void) {
        collector.removeAll()
        let views = collector.views
        precondition(views.count == banding.bandCount, "a collector for another index")
        precondition(bandKeys.count >= views.count, "one key per band")
        _ShardView.forEachDocument(in: views, withKeys: bandKeys, scratch: collector.scratch) { collector.append($0) }
        let removals = removedCount > 0
        collector.forEachDistinct { document in
            if !removals || !isRemoved(document) { body(document) }
        }
    }
}

/// Sorts `values` and calls `body` once per distinct value, in increasing order.
@inline(__always)
func _forEachDistinct(_ values: inout [Int32], _ body: (Int) -> Void) {
    guard !values.isEmpty else { return }
    values.sort()
    var previous: Int32 = -1
    for value in values where value != previous {
        previous = value
        body(Int(value))
    }
}

/// Collects candidate document numbers from several posting lists, then hands out each
/// distinct one once, in increasing order; reused from query to query (one per thread), so a
/// query allocates nothing once the collector has seen its largest candidate list.
///
/// It also holds raw views of the queried index's shards (``_ShardView``), taken when it is
/// made: queries read the postings through them with no reference counting. The views are
/// valid while the index is not mutated, so a collector lives no longer than one read of the
/// index (one chunk of queries under the engine's read lock, one public query).
final class _CandidateCollector {
    // SAFETY: a collector belongs to one thread. `storage` holds `capacity` slots, the first
    // `count` written; it is replaced (and the old one freed) only by `append`. The stored
    // properties are never accessed re-entrantly (nothing below hands out a reference to
    // them), so the dynamic exclusivity checks, a runtime call per candidate, are dropped.
    @exclusivity(unchecked) private var storage: UnsafeMutablePointer<Int32>
    @exclusivity(unchecked) private var capacity = 64
    @exclusivity(unchecked) private var count = 0
    /// One view per shard of the index being queried.
    let views: UnsafeMutableBufferPointer<_ShardView>
    /// Room for as many views: the shards a query looks up, when a filter leaves some out
    /// (``ContainmentIndex``).
    let selectedViews: UnsafeMutableBufferPointer<_ShardView>
    /// Two integers per frozen layer of the views (``_ShardView/forEachDocument(in:withKeys:scratch:_:)``).
    let scratch: UnsafeMutablePointer<Int>

    /// A collector for an index with these shards.
    init(shards: [_PostingShard]) {
        storage = .allocate(capacity: capacity)
        views = .allocate(capacity: shards.count)
        _ = views.initialize(fromContentsOf: shards.map(\.view))
        selectedViews = .allocate(capacity: shards.count)
        _ = selectedViews.initialize(fromContentsOf: views)
        scratch = .allocate(capacity: Swift.max(1, 2 * views.reduce(0) { $0 + $1.frozen.count }))
    }

    deinit {
        storage.deallocate()
        scratch.deallocate()
        views.deinitialize().deallocate()
        selectedViews.deinitialize().deallocate()
    }

    /// Forgets the collected numbers.
    @inline(__always)
    func removeAll() { count = 0 }

    /// Adds one number.
    @inline(__always)
    func append(_ document: Int32) {
        if count == capacity { grow() }
        storage[count] = document
        count &+= 1
    }

    @inline(never)
    private func grow() {
        let bigger = UnsafeMutablePointer<Int32>.allocate(capacity: capacity * 2)
        bigger.moveInitialize(from: storage, count: count)
        storage.deallocate()
        storage = bigger
        capacity *= 2
    }

    /// Sorts the collected numbers and calls `body` once per distinct one, in increasing order.
    @inline(__always)
    func forEachDistinct(_ body: (Int) -> Void) {
        guard count > 0 else { return }
        var values = UnsafeMutableBufferPointer(start: storage, count: count)
        if count <= 16 {
            // Insertion sort: most queries find a handful of candidates.
            for i in 1..<count {
                let value = values[i]
                var j = i
                while j > 0 && values[j &- 1] > value {
                    values[j] = values[j &- 1]
                    j &-= 1
                }
                values[j] = value
            }
        } else {
            values.sort()
        }
        var previous: Int32 = -1
        for value in values where value != previous {
            previous = value
            body(Int(value))
        }
    }
}

/// Whether a signature is that of an empty document (all `UInt64.max`).
@inline(__always)
func _isEmptySignature(_ signature: UnsafeBufferPointer<UInt64>) -> Bool {
    for value in signature where value != .max { return false }
    return true
}

extension MinHashLSH {
    /// Checks what every query and insert relies on: b·r ≤ k, one posting shard per band, each
    /// whole (``_PostingShard/_checkInvariants(documentLimit:)``: every document number below
    /// ``count``, prefixes within the key bits, entries in order), fewer than 2³¹ documents,
    /// and removal bits that match ``removedCount`` with none set past ``count``.
    ///
    /// Package access: the loaders (without the posting walk: they checked each entry as
    /// they read it), the damage tests and the fuzz targets call it.
    ///
    /// - Parameter walkingPostings: Whether every posting entry is checked too (a loader whose
    ///   postings were checked as they were read, or filed here, passes `false`).
    /// - Throws: ``IndexFileError/corrupt(_:)`` naming the first violation.
    /// - Complexity: O(entries) over all bands with `walkingPostings`, O(b + count / 64)
    ///   without.
    package func _checkInvariants(walkingPostings: Bool = true) throws(IndexFileError) {
        guard signatureLength >= 1, banding.signatureValuesUsed <= signatureLength, tables.count == banding.bandCount else {
            throw .corrupt("banding b=\(banding.bandCount) r=\(banding.rowsPerBand) with k=\(signatureLength) and \(tables.count) tables")
        }
        guard count >= 0, count < Int(Int32.max), removedCount >= 0, removedCount <= count else {
            throw .corrupt("document count \(count), removed \(removedCount)")
        }
        var setBits = 0
        for (word, bits) in removedBits.enumerated() {
            setBits += bits.nonzeroBitCount
            let firstDocument = word * 64
            if bits != 0 && firstDocument + (63 - bits.leadingZeroBitCount) >= count {
                throw .corrupt("a removal bit past the last document")
            }
        }
        guard setBits == removedCount else { throw .corrupt("removal bits disagree with the removed count") }
        guard walkingPostings else { return }
        for table in tables { try table._checkInvariants(documentLimit: count) }
    }
}
