import SimCoreInternals

/// The postings of one shard of an LSH index (a band of ``MinHashLSH``, a band of all prefix
/// levels of ``ContainmentIndex``): a multimap from 64-bit keys to document numbers in two
/// layers, as a log-structured store keeps them.
///
/// - ``frozen``: a compact, immutable, sorted layer (``_FrozenPostings``: about
///   `keyBits + 2` bits per entry), shared by reference between copies of the index;
/// - ``recent``: a small hash table (``_RecentPostings``) that takes single inserts and small
///   batches, merged into a new frozen layer once it is large enough (``mergeThreshold``: as
///   large as the frozen layer for an exact shard, an eighth of it, at most 2¹⁷ entries, for
///   a shard of fewer key bits), so it never holds more than a bounded share of the entries,
///   and each entry is rewritten a bounded number of times while the shard is small.
///
/// A batch filed into an empty shard becomes its frozen layer directly.
///
/// **Key bits.** With `keyBits` 64 the shard is exact: a lookup returns exactly the documents
/// filed under the key. With fewer (a ``Deduplicator`` keeping truncated signatures uses 32),
/// both layers file each key's top `keyBits` bits, and a lookup returns every document whose
/// key shares them: the documents filed under the key, plus, for n entries, about n·2^−keyBits
/// others, which the caller's verification rejects. Which documents a lookup returns depends
/// only on what was filed, never on how the layers split it.
struct _PostingShard: Sendable {
    /// Bits of each key kept (64: exact).
    let keyBits: Int
    /// The compact layer.
    private(set) var frozen: _FrozenPostings
    /// The recent inserts, filed under their prefixes (shared between copies until one of
    /// them inserts: copied on write).
    private(set) var recent = _RecentPostings()

    /// The smallest ``recent`` layer that triggers a merge (entries).
    static let mergeFloor = 1 << 14
    /// The largest ``recent`` layer of a shard that keeps fewer than 64 key bits (entries).
    static let mergeCeiling = 1 << 17

    /// An empty shard.
    init(keyBits: Int = 64) {
        precondition((1...64).contains(keyBits))
        self.keyBits = keyBits
        frozen = _FrozenPostings(keyBits: keyBits)
    }

    /// A shard whose entries are all in one frozen layer.
    init(frozen: _FrozenPostings) {
        keyBits = frozen.keyBits
        self.frozen = frozen
    }

    /// The number of (key, document) entries.
    var entryCount: Int { frozen.count + recent.entryCount }

    /// Bytes held by both layers.
    var byteCount: Int { frozen.byteCount + recent.byteCount }

    /// The top ``keyBits`` bits of `key`, under which it is filed.
    @inline(__always)
    func prefix(of key: UInt64) -> UInt64 { keyBits == 64 ? key : key >> UInt64(64 - keyBits) }

    /// The size of ``recent`` at which it is merged into ``frozen``. An exact shard (64 key
    /// bits: an index of its own, or an engine keeping whole signatures, about 1 KB per
    /// document) merges when ``recent`` is as large as ``frozen``: each entry is rewritten about
    /// twice. A shard of fewer key bits (an engine keeping truncated signatures, where the
    /// postings are most of the memory) merges at an eighth, and at least every 2¹⁷ entries,
    /// so the hash table never holds much: each entry is rewritten about nine times while the
    /// shard is small, then once per 2¹⁷ new entries.
    var mergeThreshold: Int {
        keyBits == 64
            ? Swift.max(Self.mergeFloor, frozen.count)
            : Swift.max(Self.mergeFloor, Swift.min(frozen.count / 8, Self.mergeCeiling))
    }

    /// A read-only view of both layers for lookups without reference counting, valid until
    /// the shard is next mutated.
    var view: _ShardView { _ShardView(keyBits: keyBits, frozen: frozen.view, recent: recent.view) }

    /// Calls `body` with every document filed under `key` (see "Key bits" above).
    func forEachDocument(withKey key: UInt64, _ body: (Int32) -> Void) {
        view.forEachDocument(withKey: key, body)
    }

    /// Files `document` under `key`; `document` is not below any document filed before.
    mutating func insert(key: UInt64, document: Int32) {
        if !isKnownUniquelyReferenced(&recent) { recent = _RecentPostings(copying: recent) }
        recent.insert(key: prefix(of: key), document: document)
        if recent.entryCount >= mergeThreshold { merge(adding: []) }
    }

    /// Files a batch: `keys[i]` under `documents[i]`, documents not decreasing and not below any
    /// document filed before. An empty shard becomes one frozen layer; otherwise the batch goes
    /// into ``recent``, or, when that would reach the merge threshold, everything is merged.
    mutating func insert(keys: UnsafeBufferPointer<UInt64>, documents: UnsafeBufferPointer<Int32>) {
        precondition(keys.count == documents.count)
        guard !keys.isEmpty else { return }
        if entryCount == 0 || recent.entryCount + keys.count >= mergeThreshold {
            var run = (0..<keys.count).map { _PostingEntry(prefix: prefix(of: keys[$0]), document: UInt32(documents[$0])) }
            _sortByPrefix(&run, keyBits: keyBits)
            merge(adding: run)
        } else {
            if !isKnownUniquelyReferenced(&recent) { recent = _RecentPostings(copying: recent) }
            for i in 0..<keys.count { recent.insert(key: prefix(of: keys[i]), document: documents[i]) }
        }
    }

    /// Merges ``recent`` and `run` (sorted by (prefix, document), documents after ``recent``'s)
    /// into a new frozen layer.
    private mutating func merge(adding run: [_PostingEntry]) {
        var newer = recent.entriesInInsertionOrder
        _sortByPrefix(&newer, keyBits: keyBits)
        if !run.isEmpty { newer = _mergeSorted(newer, run) }
        let old = frozen
        var limit = old.count > 0 ? old.documentLimit : 1
        for entry in newer { limit = Swift.max(limit, Int(entry.document) + 1) }
        frozen = _FrozenPostings(keyBits: keyBits, count: old.count + newer.count, documentLimit: limit) { writer in
            var cursor = _FrozenPostings.Cursor(old)
            var next = cursor.next()
            for entry in newer {
                while let current = next, (current.prefix, current.document) <= (entry.prefix, entry.document) {
                    writer.append(prefix: current.prefix, document: current.document)
                    next = cursor.next()
                }
                writer.append(prefix: entry.prefix, document: entry.document)
            }
            while let current = next {
                writer.append(prefix: current.prefix, document: current.document)
                next = cursor.next()
            }
        }
        // A small table that grows as inserts come: a large empty one would cost as much memory
        // as the compact layer of a small index (an engine reads `byteCount` as its footprint).
        recent = _RecentPostings()
    }

    /// Moves ``recent`` into the frozen layer (a saved or measured shard is then all compact).
    mutating func compact() {
        if recent.entryCount > 0 { merge(adding: []) }
    }

    /// Every entry in (prefix, document) order.
    var sortedEntries: [_PostingEntry] {
        var entries: [_PostingEntry] = []
        entries.reserveCapacity(entryCount)
        var cursor = _FrozenPostings.Cursor(frozen)
        while let entry = cursor.next() { entries.append(_PostingEntry(prefix: entry.prefix, document: entry.document)) }
        var newer = recent.entriesInInsertionOrder
        _sortByPrefix(&newer, keyBits: keyBits)
        return _mergeSorted(entries, newer)
    }

    /// Files a batch into a set of shards on `threads` cores, one worker per shard, no locks.
    /// The result does not depend on `threads`.
    ///
    /// - Parameters:
    ///   - shards: The shards (bands).
    ///   - documents: The document of each key, the same list for every shard, not decreasing.
    ///   - keys: Shard `i`'s keys, one per element of `documents`.
    static func fill(
        _ shards: inout [_PostingShard], documents: [Int32], threads: Int, keys: @Sendable (Int) -> [UInt64]
    ) {
        shards.withUnsafeMutableBufferPointer { shards in
            let box = SendableMutablePointer(base: shards.baseAddress!)
            _ = concurrentChunks(count: shards.count, threads: threads) { range in
                for shard in range {
                    let shardKeys = keys(shard)
                    // SAFETY: each shard is touched only by the chunk that owns it.
                    shardKeys.withUnsafeBufferPointer { k in
                        documents.withUnsafeBufferPointer { box.base[shard].insert(keys: k, documents: $0) }
                    }
                }
                return 0
            }
        }
    }

    /// Moves every shard's recent layer into its frozen one, on `threads` cores.
    static func compact(_ shards: inout [_PostingShard], threads: Int) {
        shards.withUnsafeMutableBufferPointer { shards in
            let box = SendableMutablePointer(base: shards.baseAddress!)
            _ = concurrentChunks(count: shards.count, threads: threads) { range in
                // SAFETY: each shard is touched only by the chunk that owns it.
                for shard in range { box.base[shard].compact() }
                return 0
            }
        }
    }
}

/// One posting: a key's top bits and a document.
struct _PostingEntry: Sendable, Equatable {
    var prefix: UInt64
    var document: UInt32
}

/// Both layers of a shard as raw pointers (``_PostingShard/view``).
struct _ShardView {
    let keyBits: Int
    let frozen: _FrozenView
    let recent: _RecentView

    /// Calls `body` with every document filed under `key`'s top ``keyBits`` bits, frozen layer
    /// first (in increasing order), then the recent one.
    @inline(__always)
    func forEachDocument(withKey key: UInt64, _ body: (Int32) -> Void) {
        let prefix = keyBits == 64 ? key : key >> UInt64(64 &- keyBits)
        frozen.forEachDocument(withPrefix: prefix, body)
        recent.forEachDocument(withKey: prefix, body)
    }
}

extension _PostingTable {
    /// Calls `body` with every (key, entry index) of every list.
    func forEachList(_ body: (UInt64, Int) -> Void) {
        for slot in slotKeys.indices where slotHeads[slot] >= 0 {
            var entry = slotHeads[slot]
            while entry >= 0 {
                body(slotKeys[slot], Int(entry))
                entry = entryNext[Int(entry)]
            }
        }
    }
}

/// Merges two runs sorted by (prefix, document).
func _mergeSorted(_ a: [_PostingEntry], _ b: [_PostingEntry]) -> [_PostingEntry] {
    guard !a.isEmpty else { return b }
    guard !b.isEmpty else { return a }
    var merged: [_PostingEntry] = []
    merged.reserveCapacity(a.count + b.count)
    var i = 0
    var j = 0
    while i < a.count && j < b.count {
        if (a[i].prefix, a[i].document) <= (b[j].prefix, b[j].document) {
            merged.append(a[i])
            i += 1
        } else {
            merged.append(b[j])
            j += 1
        }
    }
    merged.append(contentsOf: a[i...])
    merged.append(contentsOf: b[j...])
    return merged
}

/// Sorts entries by (prefix, document): one counting pass scatters them by their prefix's top
/// bits (about one entry per bucket: prefixes are hash bits, so buckets stay small), then each
/// bucket is sorted in place (insertion sort, which is linear on the usual run of one key's
/// documents in increasing order; the standard library's sort for a large bucket of mixed keys).
func _sortByPrefix(_ entries: inout [_PostingEntry], keyBits: Int) {
    let count = entries.count
    @inline(__always) func precedes(_ a: _PostingEntry, _ b: _PostingEntry) -> Bool {
        a.prefix < b.prefix || (a.prefix == b.prefix && a.document < b.document)
    }
    guard count > 256 else {
        entries.sort(by: precedes)
        return
    }
    let bucketBits = Swift.min(keyBits, Swift.min(22, Int.bitWidth - count.leadingZeroBitCount))
    let shift = UInt64(keyBits - bucketBits)
    var starts = [Int](repeating: 0, count: (1 << bucketBits) + 1)
    let sorted = [_PostingEntry](unsafeUninitializedCapacity: count) { output, initialized in
        entries.withUnsafeBufferPointer { input in
            starts.withUnsafeMutableBufferPointer { starts in
                // SAFETY: every bucket index is below 2^bucketBits (prefixes are below 2^keyBits),
                // and the offsets partition 0..<count.
                for entry in input { starts[Int(truncatingIfNeeded: entry.prefix &>> shift) &+ 1] &+= 1 }
                for bucket in 1..<starts.count { starts[bucket] &+= starts[bucket &- 1] }
                var next = Array(starts.dropLast())
                for entry in input {
                    let bucket = Int(truncatingIfNeeded: entry.prefix &>> shift)
                    (output.baseAddress! + next[bucket]).initialize(to: entry)
                    next[bucket] &+= 1
                }
                for bucket in 0..<(starts.count &- 1) where starts[bucket &+ 1] &- starts[bucket] > 1 {
                    var run = UnsafeMutableBufferPointer(rebasing: output[starts[bucket]..<starts[bucket &+ 1]])
                    if run.count > 32 {
                        run.sort(by: precedes)
                        continue
                    }
                    for i in 1..<run.count {
                        let entry = run[i]
                        var j = i
                        while j > 0 && precedes(entry, run[j &- 1]) {
                            run[j] = run[j &- 1]
                            j &-= 1
                        }
                        run[j] = entry
                    }
                }
            }
        }
        initialized = count
    }
    entries = sorted
}
