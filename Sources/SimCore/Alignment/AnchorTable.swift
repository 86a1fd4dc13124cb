import SimCoreInternals

/// The inverted index of ``ReuseIndex``: each anchor n-gram hash to the documents holding it.
///
/// The table is split into ``shardCount`` shards by the hash's top bits. A batch of documents is
/// first scattered into one group of anchors per shard (in document order), then each shard files
/// its group on its own: the shards are small enough to stay in cache while they are filled, the
/// work spreads over all cores, and every shard is the same whatever the thread count. A shard is
/// an open-addressing table (linear probing, at most 70% full) from hash to its document count
/// and newest posting; postings are linked newest first, so a hash's documents come in decreasing
/// document order.
///
/// Searches read the table through an ``_AnchorReader``, a snapshot of its pointers.
final class _AnchorTable: @unchecked Sendable {
    // SAFETY: ``ReuseIndex`` only mutates the table in `insert`, from the calling thread (whose
    // workers touch disjoint shards); its parallel searches read it through readers taken after
    // the last insert, and the index is documented as not callable from several threads at once,
    // so no read overlaps a write.

    /// Shards, chosen by the top ``shardBits`` bits of an anchor: about ten thousand anchors
    /// each per million documents' worth of news, a few hundred kilobytes.
    static let shardBits = 12
    static let shardCount = 1 << shardBits

    /// The shards, manually managed so that filing an anchor costs no reference counting.
    private let shards = UnsafeMutableBufferPointer<_AnchorShard>.allocate(capacity: _AnchorTable.shardCount)
    /// The pointers of every shard, for readers; refreshed after each insert.
    private let views = UnsafeMutableBufferPointer<_AnchorShardView>.allocate(capacity: _AnchorTable.shardCount)
    /// Documents filed.
    private(set) var documentCount = 0

    init() {
        for shard in shards.indices {
            shards.baseAddress!.advanced(by: shard).initialize(to: _AnchorShard())
            views[shard] = shards[shard].view
        }
    }

    deinit {
        for shard in shards.indices { shards[shard].deallocate() }
        shards.deallocate()
        views.deallocate()
    }

    /// Bytes held: slots and postings.
    var byteCount: Int { shards.reduce(0) { $0 + $1.byteCount } }

    /// A snapshot of the table for lookups, valid until the next ``insert(_:threads:)``.
    var reader: _AnchorReader { _AnchorReader(shards: UnsafePointer(views.baseAddress!)) }

    /// Files each document under each of its anchors, numbering the documents on from
    /// ``documentCount``.
    ///
    /// - Parameters:
    ///   - documents: Each document's distinct anchors; emptied once they are scattered, so that
    ///     their memory is free before the shards grow.
    ///   - threads: Worker threads; the table is the same for every count.
    /// - Complexity: O(anchors), spread over the shards.
    func insert(_ documents: inout [[UInt64]], threads: Int) {
        let first = documentCount
        documentCount += documents.count
        let groups: ShardedHashes
        do {
            // The batch lives only while it is scattered.
            let batch = documents
            documents = []
            groups = ShardedHashes(documentCount: batch.count, shardBits: Self.shardBits, firstOwner: first, threads: threads) { batch[$0] }
        }
        // Each shard files its group, in document order.
        let table = SendableMutablePointer(base: shards.baseAddress!)
        _ = concurrentChunks(count: Self.shardCount, threads: threads, minimumChunk: 16) { range in
            // SAFETY: this chunk alone touches the shards in `range`.
            for shard in range {
                let group = groups.range(ofShard: shard)
                table.base[shard].reserve(additional: group.count)
                for position in group {
                    table.base[shard].insert(groups.hashes.base[position], document: groups.owners.base[position])
                }
            }
            return 0
        }
        for shard in shards.indices { views[shard] = shards[shard].view }
    }

    /// The shard of `hash`.
    @inline(__always)
    static func shard(of hash: UInt64) -> Int { ShardedHashes.shard(of: hash, shardBits: shardBits) }

    /// Every pair of documents that shares at least `minimumShared` anchors held by at most
    /// `cap` documents each, packed as `first << 32 | second` (`first < second`), sorted.
    ///
    /// Each shard lists, for every anchor held by 2...`cap` documents, the pairs of its
    /// documents; the pairs are then sorted (by ranges of the first document, in parallel) and
    /// kept when listed at least `minimumShared` times.
    ///
    /// - Complexity: O(slots + Σ C(d, 2)) over the anchors' document counts d ≤ `cap`, plus
    ///   sorting those pairs.
    func sharedAnchorPairs(minimumShared: Int, cap: Int, threads: Int) -> [UInt64] {
        guard documentCount >= 2 else { return [] }
        let buckets = Swift.max(1, Swift.min(256, documentCount / 256))
        let perBucket = (documentCount + buckets - 1) / buckets
        let table = reader
        // Pairs of each chunk of shards, by bucket of their first document.
        let listed = concurrentChunks(count: Self.shardCount, threads: threads, minimumChunk: 16) { range in
            var byBucket = [[UInt64]](repeating: [], count: buckets)
            var holders: [UInt64] = []
            for shard in range {
                table.forEachAnchor(inShard: shard) { count, entry in
                    guard count >= 2, count <= cap else { return }
                    holders.removeAll(keepingCapacity: true)
                    entry.forEachDocument(above: -1) { holders.append(UInt64($0)) }
                    // Newest first: holders[a] > holders[b] for a < b.
                    for later in 0..<holders.count {
                        for earlier in (later + 1)..<holders.count {
                            byBucket[Int(holders[earlier]) / perBucket].append(holders[earlier] << 32 | holders[later])
                        }
                    }
                }
            }
            return byBucket
        }
        return concurrentChunks(count: buckets, threads: threads) { range in
            var kept: [UInt64] = []
            for bucket in range {
                var pairs = listed.flatMap { $0[bucket] }
                guard !pairs.isEmpty else { continue }
                pairs.withUnsafeMutableBufferPointer { keys in
                    let scratch = UnsafeMutableBufferPointer<UInt64>.allocate(capacity: keys.count)
                    defer { scratch.deallocate() }
                    radixSort(keys, scratch: scratch)
                }
                var run = 1
                for position in 1...pairs.count {
                    if position < pairs.count && pairs[position] == pairs[position - 1] {
                        run += 1
                        continue
                    }
                    if run >= minimumShared { kept.append(pairs[position - 1]) }
                    run = 1
                }
            }
            return kept
        }.flatMap { $0 }
    }
}

/// One shard of an ``_AnchorTable``: the anchors whose top bits pick it. A value with manually
/// managed buffers, freed by ``deallocate()``.
struct _AnchorShard {
    private var slots: UnsafeMutableBufferPointer<_AnchorSlot>
    private var used = 0
    private var postings: UnsafeMutableBufferPointer<_AnchorPosting>
    private var postingCount = 0

    init() {
        slots = .allocate(capacity: 16)
        slots.initialize(repeating: _AnchorSlot(key: 0, count: 0, head: 0))
        postings = .allocate(capacity: 16)
    }

    /// Frees the buffers.
    func deallocate() {
        slots.deallocate()
        postings.deallocate()
    }

    /// Bytes held: slots and postings.
    var byteCount: Int {
        slots.count * MemoryLayout<_AnchorSlot>.stride + postingCount * MemoryLayout<_AnchorPosting>.stride
    }

    /// The shard's pointers, valid until the next insert.
    var view: _AnchorShardView {
        _AnchorShardView(slots: UnsafePointer(slots.baseAddress!), mask: slots.count - 1,
                         postings: UnsafePointer(postings.baseAddress!))
    }

    /// Makes room for `additional` more anchors without growing.
    mutating func reserve(additional: Int) {
        var capacity = slots.count
        while (used + additional) * 10 > capacity * 7 { capacity *= 2 }
        if capacity > slots.count { rehash(capacity) }
        if postingCount + additional > postings.count { growPostings(postingCount + additional) }
    }

    /// Rehashes into `capacity` slots (a power of two).
    private mutating func rehash(_ capacity: Int) {
        let old = slots
        let grown = UnsafeMutableBufferPointer<_AnchorSlot>.allocate(capacity: capacity)
        grown.initialize(repeating: _AnchorSlot(key: 0, count: 0, head: 0))
        let mask = capacity - 1
        for slot in old where slot.count != 0 {
            var target = Int(truncatingIfNeeded: slot.key) & mask
            while grown[target].count != 0 { target = (target &+ 1) & mask }
            grown[target] = slot
        }
        old.deallocate()
        slots = grown
    }

    /// Moves the postings into room for at least `capacity`.
    private mutating func growPostings(_ capacity: Int) {
        let grown = UnsafeMutableBufferPointer<_AnchorPosting>.allocate(capacity: Swift.max(capacity, postings.count * 2))
        _ = grown.initialize(fromContentsOf: postings[0..<postingCount])
        postings.deallocate()
        postings = grown
    }

    /// Files `document` under `hash`, once: documents come in increasing order, so a repeat is
    /// the newest posting.
    @inline(__always)
    mutating func insert(_ hash: UInt64, document: UInt32) {
        if (used + 1) * 10 > slots.count * 7 { rehash(slots.count * 2) }
        if postingCount == postings.count { growPostings(postingCount * 2) }
        let table = slots.baseAddress!, mask = slots.count - 1, list = postings.baseAddress!
        var slot = Int(truncatingIfNeeded: hash) & mask
        while table[slot].count != 0 && table[slot].key != hash { slot = (slot &+ 1) & mask }
        let posting = UInt32(truncatingIfNeeded: postingCount)
        if table[slot].count == 0 {
            table[slot] = _AnchorSlot(key: hash, count: 1, head: posting)
            list[postingCount] = _AnchorPosting(document: document, next: UInt32.max)
            used += 1
        } else {
            if list[Int(table[slot].head)].document == document { return }
            list[postingCount] = _AnchorPosting(document: document, next: table[slot].head)
            table[slot].head = posting
            if table[slot].count < UInt32.max { table[slot].count &+= 1 }
        }
        postingCount += 1
    }
}

/// One slot of an anchor shard: the hash, how many documents hold it (0: empty), and its newest
/// posting.
struct _AnchorSlot {
    var key: UInt64
    var count: UInt32
    var head: UInt32
}

/// One posting: a document holding an anchor, and the next (older) posting of that anchor.
struct _AnchorPosting {
    var document: UInt32
    var next: UInt32
}

/// A shard's pointers, as readers see them.
struct _AnchorShardView {
    let slots: UnsafePointer<_AnchorSlot>
    let mask: Int
    let postings: UnsafePointer<_AnchorPosting>
}

/// What the table holds for one anchor: how many documents, and where their postings start.
struct _AnchorEntry {
    /// Documents holding the anchor (0: none).
    let count: Int
    let head: UInt32
    let postings: UnsafePointer<_AnchorPosting>

    /// Calls `body` with each document holding the anchor above `floor`, newest (highest) first.
    @inline(__always)
    func forEachDocument(above floor: Int, _ body: (Int) -> Void) {
        var posting = head
        while posting != UInt32.max {
            let document = Int(postings[Int(posting)].document)
            guard document > floor else { return }
            body(document)
            posting = postings[Int(posting)].next
        }
    }
}

/// Read-only lookups in an ``_AnchorTable``, from pointers taken once.
struct _AnchorReader: @unchecked Sendable {
    // SAFETY: see ``_AnchorTable``: readers are only used while the table is not mutated.
    let shards: UnsafePointer<_AnchorShardView>

    /// Calls `body` with the document count and entry of every anchor in `shard`.
    @inline(__always)
    func forEachAnchor(inShard shard: Int, _ body: (Int, _AnchorEntry) -> Void) {
        let view = shards[shard]
        for slot in 0...view.mask where view.slots[slot].count != 0 {
            body(Int(view.slots[slot].count), _AnchorEntry(count: Int(view.slots[slot].count), head: view.slots[slot].head, postings: view.postings))
        }
    }

    /// The entry of `hash` (count 0 when no document holds it).
    @inline(__always)
    func entry(of hash: UInt64) -> _AnchorEntry {
        let shard = shards[Int(truncatingIfNeeded: hash >> UInt64(64 - _AnchorTable.shardBits))]
        var slot = Int(truncatingIfNeeded: hash) & shard.mask
        while shard.slots[slot].count != 0 {
            if shard.slots[slot].key == hash {
                return _AnchorEntry(count: Int(shard.slots[slot].count), head: shard.slots[slot].head, postings: shard.postings)
            }
            slot = (slot &+ 1) & shard.mask
        }
        return _AnchorEntry(count: 0, head: UInt32.max, postings: shard.postings)
    }
}

/// The winnowed anchors of a document's word n-gram hashes: in every window of `window`
/// consecutive n-grams, the smallest hash (the rightmost of equal ones), in order of position,
/// each once (a hash selected at two positions, a repeated n-gram, is kept where it first
/// comes).
///
/// The window's minimum is carried from one window to the next and only looked for again when
/// it leaves the window (about once per `window` positions on random hashes).
///
/// - Complexity: O(n) expected on random hashes (O(n × window) at worst), plus a hash set
///   (`seen`, scratch) for the repeats.
func _winnowedAnchors(_ hashes: UnsafeBufferPointer<UInt64>, window: Int, seen: ScratchBuffer<UInt64>) -> [UInt64] {
    let grams = hashes.count
    guard grams > 0 else { return [] }
    let width = Swift.min(window, grams)
    var selected: [UInt64] = []
    selected.reserveCapacity(grams * 2 / (width + 1) + 2)
    var minimum = 0
    var lastSelected = -1
    for position in 0..<grams {
        if minimum <= position &- width {
            // The minimum left the window: the rightmost smallest of the window is the new one.
            minimum = position &- width &+ 1
            for candidate in (minimum &+ 1)..<(position &+ 1) where hashes[candidate] <= hashes[minimum] { minimum = candidate }
        } else if hashes[position] <= hashes[minimum] {
            minimum = position
        }
        if position >= width &- 1 && minimum != lastSelected {
            selected.append(hashes[minimum])
            lastSelected = minimum
        }
    }
    _removeRepeats(&selected, set: seen)
    return selected
}

/// Removes every repeat of an earlier element from `values`, keeping the order, with an
/// open-addressing set in `set` (scratch, reused).
///
/// - Complexity: O(n).
func _removeRepeats(_ values: inout [UInt64], set: ScratchBuffer<UInt64>) {
    guard values.count > 1 else { return }
    var capacity = 16
    while capacity < values.count * 2 { capacity <<= 1 }
    let slots = set.reserve(capacity).baseAddress!, mask = capacity - 1
    // Slot value 0 means empty; the value 0 itself is tracked on the side.
    slots.update(repeating: 0, count: capacity)
    var sawZero = false
    var kept = 0
    for position in values.indices {
        let value = values[position]
        let fresh: Bool
        if value == 0 {
            fresh = !sawZero
            sawZero = true
        } else {
            var slot = Int(truncatingIfNeeded: value ^ (value >> 29)) & mask
            while slots[slot] != 0 && slots[slot] != value { slot = (slot &+ 1) & mask }
            fresh = slots[slot] == 0
            slots[slot] = value
        }
        if fresh {
            values[kept] = value
            kept += 1
        }
    }
    values.removeLast(values.count - kept)
}
