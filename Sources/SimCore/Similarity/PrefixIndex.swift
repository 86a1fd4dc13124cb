import SimCoreInternals

/// The inverted index of exact all-pairs search, with each document's prefix in rarity order.
///
/// Built shard by shard, in cache, on all cores, with no search of a global key array:
/// 1. every (hash, document) pair of the corpus is scattered into shards by the hash's top bits
///    (``ShardedHashes``), about 8,000 pairs per shard;
/// 2. each shard counts its hashes in an open-addressing table small enough for the core's
///    cache: the hashes more than one document holds become keys, numbered shard after shard
///    (in order of first appearance inside a shard), and each pair is rewritten as (document frequency << 32 |
///    key). A shingle only one document holds is the rarest kind, first in every prefix, and can
///    never lead to a candidate: it is counted, not indexed;
/// 3. the rewritten pairs are scattered back by document, and each document keeps as its prefix
///    the |A| − ⌈t·|A|⌉ + 1 − (its unshared shingles) smallest, that is its first shingles in
///    (frequency, key) order, moved to the front of its entries by a selection (O(|A|));
/// 4. the postings (documents per key, in increasing document order) are laid out CSR-style:
///    every shared shingle for containment and overlap, prefix shingles only for Jaccard.
///
/// Which of several equally rare shingles a prefix keeps depends on the key numbers, never on
/// the thread count; any one global order finds exactly the same pairs, since prefix filtering
/// is exact for every order and candidates are verified exactly.
///
/// Memory: 12 bytes per shingle of the corpus while scattering, then 8 per shared shingle and
/// 4 per indexed one.
struct _PrefixIndex: Sendable {
    /// Each document's shared shingles as (frequency << 32 | key), its prefix first:
    /// `entries[starts[d]..<starts[d] + prefixCounts[d]]` is document d's prefix.
    let entries: [UInt64]
    /// Where each document's entries start; one more than the documents.
    let starts: [Int]
    /// The length of each document's prefix of shared shingles.
    let prefixCounts: [Int32]
    /// `postings[offsets[k]..<offsets[k + 1]]` are the documents indexed under key k.
    let offsets: [Int]
    let postings: [Int32]

    init(sets: [ShingleSet], measure: SimilarityMeasure, threshold: Double, threads: Int) {
        let (entries, starts, keyCount) = Self.sharedEntries(of: sets, threads: threads)
        // Each document's prefix, moved to the front of its entries.
        var prefixCounts = [Int32](repeating: 0, count: sets.count)
        var entriesByDocument = entries
        entriesByDocument.withUnsafeMutableBufferPointer { entries in
            prefixCounts.withUnsafeMutableBufferPointer { prefixCounts in
                let entryBase = SendableMutablePointer(base: entries.baseAddress!)
                let countBase = SendableMutablePointer(base: prefixCounts.baseAddress!)
                _ = concurrentChunks(count: sets.count, threads: threads, minimumChunk: 64) { range in
                    for document in range {
                        let shared = starts[document + 1] - starts[document]
                        let size = sets[document].count
                        let length = ExactAllPairs.prefixLength(count: size, threshold: threshold) - (size - shared)
                        guard length > 0 else { continue }
                        // SAFETY: each document's entries and count belong to its chunk alone.
                        _selectSmallest(length, of: UnsafeMutableBufferPointer(start: entryBase.base + starts[document], count: shared))
                        countBase.base[document] = Int32(truncatingIfNeeded: length)
                    }
                    return 0
                }
            }
        }
        self.entries = entriesByDocument
        self.starts = starts
        self.prefixCounts = prefixCounts
        // Postings, in document order.
        let lengths = prefixCounts
        let indexedCount: (Int) -> Int = measure == .jaccard
            ? { Int(lengths[$0]) } : { starts[$0 + 1] - starts[$0] }
        var offsets = [Int](repeating: 0, count: keyCount + 1)
        var postings: [Int32] = []
        entriesByDocument.withUnsafeBufferPointer { entries in
            offsets.withUnsafeMutableBufferPointer { offsets in
                for document in 0..<sets.count {
                    for entry in entries[starts[document]..<(starts[document] + indexedCount(document))] {
                        offsets[Int(truncatingIfNeeded: entry & 0xFFFF_FFFF) + 1] &+= 1
                    }
                }
                for key in 0..<keyCount { offsets[key + 1] &+= offsets[key] }
            }
            var cursor = offsets
            postings = [Int32](repeating: 0, count: offsets[keyCount])
            postings.withUnsafeMutableBufferPointer { postings in
                cursor.withUnsafeMutableBufferPointer { cursor in
                    for document in 0..<sets.count {
                        for entry in entries[starts[document]..<(starts[document] + indexedCount(document))] {
                            let key = Int(truncatingIfNeeded: entry & 0xFFFF_FFFF)
                            postings[cursor[key]] = Int32(truncatingIfNeeded: document)
                            cursor[key] &+= 1
                        }
                    }
                }
            }
        }
        self.offsets = offsets
        self.postings = postings
    }

    /// Every document's shared shingles, each as (document frequency << 32 | key), document
    /// after document, and the number of keys (distinct shared shingles).
    ///
    /// The pairs (hash, document) are scattered by the top bits of the hash; each shard, on one
    /// worker, counts its hashes in a table in cache, numbers the shared ones, and rewrites its
    /// pairs in place; then the shared pairs are scattered back by document. Every step is the
    /// same for every thread count. A document's entries are in no particular order.
    ///
    /// - Returns: `entries`, `starts` (document d's entries are `entries[starts[d]..<starts[d + 1]]`)
    ///   and `keyCount`.
    /// - Complexity: O(total shingles); 12 bytes per shingle while it runs, 4 bytes per document
    ///   per chunk of shards (at most 16 chunks).
    static func sharedEntries(of sets: [ShingleSet], threads: Int) -> (entries: [UInt64], starts: [Int], keyCount: Int) {
        let total = sets.reduce(0) { $0 + $1.count }
        var bits = 0
        while bits < 20 && (total >> bits) > shardTarget { bits += 1 }
        let pairs = ShardedHashes(documentCount: sets.count, shardBits: bits, threads: threads) { sets[$0].hashes }
        let shardCount = pairs.shardCount
        // Chunks of shards, each with one shared-entry count per document.
        let chunkCount = Swift.min(shardCount, Swift.max(1, Swift.min(4 * Swift.max(1, threads), 16)))
        let shardsPerChunk = (shardCount + chunkCount - 1) / chunkCount
        @Sendable func chunkShards(_ chunk: Int) -> Range<Int> {
            Swift.min(shardCount, chunk * shardsPerChunk)..<Swift.min(shardCount, (chunk + 1) * shardsPerChunk)
        }
        let documentCount = sets.count
        // 1. Count each shard's hashes; rewrite each pair as (frequency << 32 | key in its
        //    shard), or 0 when no other document holds the hash.
        let counted: [(keys: [Int], perDocument: [UInt32])] = concurrentChunks(count: chunkCount, threads: threads) { chunks in
            chunks.map { chunk in
                var perDocument = [UInt32](repeating: 0, count: documentCount)
                let table = _ShardCountTable()
                var keys: [Int] = []
                for shard in chunkShards(chunk) {
                    // SAFETY: this shard's pairs belong to this chunk alone.
                    let range = pairs.range(ofShard: shard)
                    let hashes = UnsafeMutableBufferPointer(start: pairs.hashes.base + range.lowerBound, count: range.count)
                    let owners = UnsafeBufferPointer(start: pairs.owners.base + range.lowerBound, count: range.count)
                    keys.append(table.rewrite(hashes))
                    perDocument.withUnsafeMutableBufferPointer { perDocument in
                        for position in hashes.indices where hashes[position] != 0 {
                            perDocument[Int(owners[position])] &+= 1
                        }
                    }
                }
                return (keys, perDocument)
            }
        }.flatMap { $0 }
        // Keys are numbered shard after shard.
        var keyBase = [Int](repeating: 0, count: shardCount + 1)
        var shard = 0
        for chunk in counted {
            for keys in chunk.keys {
                keyBase[shard + 1] = keyBase[shard] + keys
                shard += 1
            }
        }
        let keyCount = keyBase[shardCount]
        precondition(keyCount < Int(UInt32.max), "too many distinct shared shingles")
        // 2. Each document's entries start where the previous one's end; inside a document,
        //    chunk after chunk.
        var starts = [Int](repeating: 0, count: documentCount + 1)
        var cursors = counted.map(\.perDocument)
        for document in 0..<documentCount {
            var within: UInt32 = 0
            for chunk in 0..<chunkCount {
                let count = cursors[chunk][document]
                cursors[chunk][document] = within
                within &+= count
            }
            starts[document + 1] = starts[document] + Int(within)
        }
        let firstCursors = cursors
        let documentStarts = starts
        // 3. Scatter the shared pairs back by document.
        let sharedTotal = starts[documentCount]
        var entries = [UInt64](uninitializedCapacity: sharedTotal) { _, count in count = sharedTotal }
        entries.withUnsafeMutableBufferPointer { entries in
            let target = SendableMutablePointer(base: entries.baseAddress!)
            let bases = keyBase
            _ = concurrentChunks(count: chunkCount, threads: threads) { chunks in
                for chunk in chunks {
                    var cursor = firstCursors[chunk]
                    cursor.withUnsafeMutableBufferPointer { cursor in
                        documentStarts.withUnsafeBufferPointer { starts in
                            for shard in chunkShards(chunk) {
                                let base = UInt64(bases[shard])
                                for position in pairs.range(ofShard: shard) {
                                    let value = pairs.hashes.base[position]
                                    guard value != 0 else { continue }
                                    let document = Int(pairs.owners.base[position])
                                    // SAFETY: places starts[d] + [firstCursors[chunk][d], + the
                                    // chunk's count for d) belong to this chunk alone.
                                    target.base[starts[document] &+ Int(cursor[document])] = value &+ base
                                    cursor[document] &+= 1
                                }
                            }
                        }
                    }
                }
                return 0
            }
        }
        return (entries, starts, keyCount)
    }

    /// The pairs a shard should hold, about: its counting table (16 bytes a slot, four to eight
    /// slots a pair) then takes 0.5 to 1 MiB, inside a core's L2 cache.
    static let shardTarget = 8_192

    /// The candidates' verified pairs for the documents in `range`.
    func search(
        _ range: Range<Int>, sets: [ShingleSet], measure: SimilarityMeasure, threshold: Double
    ) -> [SimilarPair] {
        var found: [SimilarPair] = []
        var stamp = [Int32](repeating: -1, count: sets.count)
        for a in range {
            let setA = sets[a]
            let sizeA = setA.count
            for entry in entries[starts[a]..<(starts[a] + Int(prefixCounts[a]))] {
                let key = Int(truncatingIfNeeded: entry & 0xFFFF_FFFF)
                for position in offsets[key]..<offsets[key + 1] {
                    let b = Int(postings[position])
                    guard b != a, stamp[b] != Int32(a) else { continue }
                    stamp[b] = Int32(a)
                    let sizeB = sets[b].count
                    switch measure {
                    case .jaccard:
                        guard b > a,
                              Double(Swift.min(sizeA, sizeB)) >= threshold * Double(Swift.max(sizeA, sizeB)) - 1e-9
                        else { continue }
                    case .overlap:
                        guard (sizeA, a) < (sizeB, b) else { continue }
                    case .containment:
                        break
                    }
                    let similarity = measure.value(
                        intersection: setA.intersectionCount(with: sets[b]), first: sizeA, second: sizeB)
                    guard similarity >= threshold else { continue }
                    found.append(SimilarPair(
                        first: measure == .containment ? a : Swift.min(a, b),
                        second: measure == .containment ? b : Swift.max(a, b),
                        similarity: similarity))
                }
            }
        }
        return found
    }
}

/// The counting table of one shard of exact all-pairs' frequency count: open addressing with
/// linear probing, at most a quarter full, reused from shard to shard by one worker. Only the
/// slots a shard touched are cleared after it, so a sparse table costs nothing to reset.
final class _ShardCountTable {
    private let keys = ScratchBuffer<UInt64>()
    private let counts = ScratchBuffer<UInt32>()
    private let numbers = ScratchBuffer<UInt32>()
    private let slotOfPair = ScratchBuffer<UInt32>()
    /// Slots of `counts` known to be 0.
    private var clearedSlots = 0

    /// Counts the hashes of one shard, numbers the ones held more than once (from 0, in the
    /// order of their first pair), and rewrites each hash in place as (count << 32 | number), or
    /// 0 for a hash held once.
    ///
    /// - Parameter hashes: One shard's hashes; a hash is repeated once per document holding it.
    /// - Returns: How many numbers were given: the shard's distinct shared hashes.
    /// - Complexity: O(n) expected; the table has 4n to 8n slots.
    func rewrite(_ hashes: UnsafeMutableBufferPointer<UInt64>) -> Int {
        let count = hashes.count
        guard count > 0 else { return 0 }
        var capacity = 16
        while capacity < 4 * count { capacity <<= 1 }
        let mask = capacity - 1
        if capacity > clearedSlots {
            let fresh = counts.reserve(capacity)
            fresh.update(repeating: 0)
            clearedSlots = fresh.count
        }
        let counts = counts.storage.baseAddress!
        let keys = keys.reserve(capacity).baseAddress!
        let numbers = numbers.reserve(capacity).baseAddress!
        let slotOfPair = slotOfPair.reserve(count).baseAddress!
        // SAFETY: every slot index is masked into the table's `capacity` slots, which all three
        // slot buffers hold; every pair index is below `count`, and `slotOfPair` holds `count`.
        for position in 0..<count {
            let hash = hashes[position]
            var slot = Int(truncatingIfNeeded: hash) & mask
            while counts[slot] != 0 && keys[slot] != hash { slot = (slot &+ 1) & mask }
            if counts[slot] == 0 {
                keys[slot] = hash
                numbers[slot] = UInt32.max
            }
            counts[slot] &+= 1
            slotOfPair[position] = UInt32(truncatingIfNeeded: slot)
        }
        var next: UInt32 = 0
        for position in 0..<count {
            let slot = Int(slotOfPair[position])
            let holders = counts[slot]
            guard holders > 1 else {
                hashes[position] = 0
                continue
            }
            if numbers[slot] == UInt32.max {
                numbers[slot] = next
                next &+= 1
            }
            hashes[position] = UInt64(holders) << 32 | UInt64(numbers[slot])
        }
        for position in 0..<count { counts[Int(slotOfPair[position])] = 0 }
        return Int(next)
    }
}

/// Moves the `count` smallest of `values` (all distinct) to its front, in no particular order:
/// quickselect with a median-of-three pivot, insertion sort for short ranges.
///
/// - Complexity: O(n) expected.
func _selectSmallest(_ count: Int, of values: UnsafeMutableBufferPointer<UInt64>) {
    guard count > 0 && count < values.count else { return }
    let target = count - 1
    var low = 0
    var high = values.count - 1
    while high - low > 16 {
        let middle = low + (high - low) / 2
        // Median of three at `middle`.
        if values[middle] < values[low] { values.swapAt(middle, low) }
        if values[high] < values[low] { values.swapAt(high, low) }
        if values[high] < values[middle] { values.swapAt(high, middle) }
        let pivot = values[middle]
        var left = low
        var right = high
        while left <= right {
            while values[left] < pivot { left += 1 }
            while values[right] > pivot { right -= 1 }
            if left <= right {
                values.swapAt(left, right)
                left += 1
                right -= 1
            }
        }
        // [low, right] ≤ pivot ≤ [left, high], and anything between equals the pivot.
        if target <= right {
            high = right
        } else if target >= left {
            low = left
        } else {
            return
        }
    }
    // Insertion sort of what is left settles the boundary.
    if low < high {
        for position in (low + 1)...high {
            let value = values[position]
            var hole = position
            while hole > low && values[hole - 1] > value {
                values[hole] = values[hole - 1]
                hole -= 1
            }
            values[hole] = value
        }
    }
}
