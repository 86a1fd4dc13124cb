internal import CSimKernels
import SimCoreInternals

/// A blocked Bloom filter over the key prefixes filed in one LSH shard: it answers "certainly
/// not filed" from one cache line, so a lookup that would find nothing skips the shard's frozen
/// layers (three dependent loads each) and its recent table.
///
/// **Where it pays.** ``ContainmentIndex`` mixes a document's size partition into its keys and
/// probes every non-empty partition, about 250 lookups a query on paragraphs, of which about
/// nine in ten find nothing. The engine files a batch before it queries it, so a query's own
/// keys are always present in its own partition, but in the other partitions its keys are
/// filed only if another document shares them. ``MinHashLSH`` has no use for it: every query
/// looks up its own keys, which the filter always holds.
///
/// **Layout.** n blocks of 64 bytes (eight words, one cache line). A prefix, mixed, picks a
/// block with its top 28 bits (scaled to n by a multiply and a shift) and sets four bits there
/// with its 36 low bits: four times a word (3 bits) and a bit in it (6 bits). Made at 16 bits
/// per key and made anew twice as large past 8 (by the shard, from its entries), it holds 8 to
/// 16 bits a key: about 3% false positives at 8, 0.3% at 16. No false negatives.
///
/// Not saved: a loaded shard builds it from its entries (``_PostingShard/addFilter()``).
final class _KeyFilter: @unchecked Sendable {
    // SAFETY: `words` holds 8 · blockCount words, allocated and zeroed by the initializers and
    // freed by deinit. `insert` writes it only on a filter that its shard holds uniquely (a
    // shared one is copied first), so it never runs while a view of it is read.
    private let words: UnsafeMutablePointer<UInt64>
    /// n: 64-byte blocks, 1...2²⁸.
    let blockCount: Int
    /// Prefixes inserted (one inserted twice counts twice).
    private(set) var count = 0

    /// Bits per key when a filter is made for a number of keys.
    static let bitsPerKeyWhenMade = 16
    /// Bits per key at ``capacity``, past which the shard rebuilds the filter larger.
    static let bitsPerKeyAtCapacity = 8

    /// An empty filter sized for `expectedKeys` keys (at ``bitsPerKeyWhenMade`` bits each, one
    /// block at least).
    init(expectedKeys: Int) {
        precondition(expectedKeys >= 0)
        blockCount = Swift.min(1 << 28, Swift.max(1, (expectedKeys * Self.bitsPerKeyWhenMade + 511) / 512))
        let wordCount = 8 * blockCount
        words = Self.allocateBlocks(blockCount)
        if wordCount * 8 >= 2 * Platform.hugePageBytes { Platform.adviseHugePages(words, bytes: wordCount * 8) }
        words.initialize(repeating: 0, count: wordCount)
    }

    /// A copy of `other`.
    init(copying other: _KeyFilter) {
        blockCount = other.blockCount
        count = other.count
        let wordCount = 8 * blockCount
        words = Self.allocateBlocks(blockCount)
        words.initialize(from: other.words, count: wordCount)
    }

    deinit { UnsafeMutableRawPointer(words).deallocate() }

    /// Uninitialized room for `blockCount` blocks, the first on a 64-byte boundary, so that
    /// each block is one cache line. Allocated for its words (8-byte alignment), the array
    /// began 16 bytes past a page, as large blocks from `malloc` do: every block straddled two
    /// lines, and a check or insert (four of the block's eight words) read the second line two
    /// times in three, a second cache miss, past the line asked for ahead.
    private static func allocateBlocks(_ blockCount: Int) -> UnsafeMutablePointer<UInt64> {
        UnsafeMutableRawPointer.allocate(byteCount: blockCount * 64, alignment: 64).bindMemory(to: UInt64.self, capacity: 8 * blockCount)
    }

    /// Keys the filter takes before its shard rebuilds it larger.
    var capacity: Int { blockCount * 512 / Self.bitsPerKeyAtCapacity }

    /// Bytes held.
    var byteCount: Int { blockCount * 64 }

    /// Records `prefix`.
    @inline(__always)
    func insert(_ prefix: UInt64) {
        let (block, probes) = _KeyFilterView.position(of: prefix, blockCount: blockCount)
        var bits = probes
        for _ in 0..<4 {
            // SAFETY: block + (bits & 7) < 8 · blockCount.
            words[block &+ Int(truncatingIfNeeded: bits & 7)] |= 1 &<< ((bits &>> 3) & 63)
            bits &>>= 9
        }
        count &+= 1
    }

    /// Asks for the cache line of `prefix`'s block, which ``insert(_:)`` of `prefix` writes
    /// (a hint: nothing changes).
    @inline(__always)
    func prefetchBlock(of prefix: UInt64) { view.prefetch(prefix) }

    /// Whether the filter holds the same bits and count as `other`.
    func isIdentical(to other: _KeyFilter) -> Bool {
        blockCount == other.blockCount && count == other.count && (0..<8 * blockCount).allSatisfy { words[$0] == other.words[$0] }
    }

    /// A read-only view for lookups, valid while the object lives and is not inserted into.
    var view: _KeyFilterView { _KeyFilterView(words: UnsafePointer(words), blockCount: blockCount) }
}

/// Raw access to a ``_KeyFilter`` for lookups, or to none (``all``: every prefix may be there).
struct _KeyFilterView {
    let words: UnsafePointer<UInt64>?
    let blockCount: Int

    /// The view of no filter: ``mayContain(_:)`` is always true.
    static var all: _KeyFilterView { _KeyFilterView(words: nil, blockCount: 1) }

    /// Whether `prefix` may have been inserted: false only if it certainly was not.
    @inline(__always)
    func mayContain(_ prefix: UInt64) -> Bool {
        guard let words else { return true }
        let (block, probes) = Self.position(of: prefix, blockCount: blockCount)
        var bits = probes
        var all: UInt64 = 1
        for _ in 0..<4 {
            // SAFETY: block + (bits & 7) < 8 · blockCount.
            all &= words[block &+ Int(truncatingIfNeeded: bits & 7)] &>> ((bits &>> 3) & 63)
            bits &>>= 9
        }
        return all & 1 != 0
    }

    /// Asks for the cache line that ``mayContain(_:)`` of `prefix` reads (a hint: nothing
    /// changes; nothing for the filter that holds everything).
    @inline(__always)
    func prefetch(_ prefix: UInt64) {
        guard let words else { return }
        let (block, _) = Self.position(of: prefix, blockCount: blockCount)
        // SAFETY: block < 8 · blockCount, inside `words`; a prefetch reads nothing.
        simk_prefetch(words + block)
    }

    /// The first word of `prefix`'s block, and the bits (the low 36) that pick its four bits.
    ///
    /// The block comes from the prefix's low 32 bits alone, the bits from the whole prefix
    /// mixed: a ``ContainmentIndex`` with partition-local keys gives all the keys of a band
    /// whose first row is the same one low half, at every row count in every size partition,
    /// so a query's checks of a band in all the partitions it probes read one cache line (the
    /// 250 or so checks of a paragraph's query touched about as many lines, now about 32).
    @inline(__always)
    static func position(of prefix: UInt64, blockCount: Int) -> (block: Int, probes: UInt64) {
        // The low half spread over 64 bits by an odd multiplier; the top 28 bits, a fraction of
        // 2²⁸, times the block count: below blockCount.
        let spread = (prefix & 0xFFFF_FFFF) &* 0x9E37_79B9_7F4A_7C15
        let block = Int(truncatingIfNeeded: ((spread &>> 36) &* UInt64(truncatingIfNeeded: blockCount)) &>> 28) &<< 3
        return (block, _mix64(prefix))
    }
}

/// Fills a ``_KeyFilter`` with many prefixes at once (a shard's every entry, when it makes its
/// filter anew), region by region: a prefix is first appended to the buffer of the region of
/// the filter its block lies in (at most 1,024 regions), and a full buffer is inserted at once.
/// The filter ends with the bits and count that ``_KeyFilter/insert(_:)`` of each prefix gives
/// (the order of inserts changes nothing).
///
/// Why: a shard's filter is megabytes, and its entries come in key order, which scatters them
/// over the filter: each insert was a cache miss, about half of the time of making a filter
/// anew. A buffer's prefixes fall in one region of a few kilobytes, whose lines stay in cache
/// while the buffer is inserted, and the buffers (2 MB at most) are written in order.
/// A filter of at most ``directBlockLimit`` blocks is filled directly.
final class _KeyFilterFiller {
    // SAFETY: `buffers` holds regionCount · bufferCapacity prefixes and `fills` regionCount
    // counts, allocated by the initializer and freed by deinit; a region's count stays below
    // bufferCapacity between calls (a full buffer is emptied at once).
    private let filter: _KeyFilter
    /// A block's region is its number shifted right by this.
    private let regionShift: Int
    private let regionCount: Int
    private let buffers: UnsafeMutablePointer<UInt64>
    private let fills: UnsafeMutablePointer<Int>

    /// Prefixes a region's buffer holds.
    static let bufferCapacity = 256
    /// The most blocks of a filter filled directly (256 KB: it stays in cache).
    static let directBlockLimit = 1 << 12

    /// A filler of `filter`.
    init(filling filter: _KeyFilter) {
        self.filter = filter
        let blocks = filter.blockCount
        let blockBits = Int.bitWidth - (blocks - 1).leadingZeroBitCount
        regionShift = blocks <= Self.directBlockLimit ? 63 : Swift.max(0, blockBits - 10)
        regionCount = blocks <= Self.directBlockLimit ? 0 : ((blocks - 1) >> regionShift) + 1
        buffers = .allocate(capacity: regionCount * Self.bufferCapacity)
        fills = .allocate(capacity: regionCount)
        fills.initialize(repeating: 0, count: regionCount)
    }

    deinit {
        flush()
        buffers.deallocate()
        fills.deallocate()
    }

    /// Records `prefix` (in the filter at once, or when its region's buffer fills or the
    /// filler ends).
    @inline(__always)
    func insert(_ prefix: UInt64) {
        guard regionCount > 0 else { return filter.insert(prefix) }
        let block = _KeyFilterView.position(of: prefix, blockCount: filter.blockCount).block &>> 3
        let region = block &>> regionShift
        // SAFETY: block < blockCount, so region < regionCount; fills[region] < bufferCapacity.
        let buffer = buffers + region &* Self.bufferCapacity
        buffer[fills[region]] = prefix
        fills[region] &+= 1
        if fills[region] == Self.bufferCapacity { empty(region: region) }
    }

    /// Inserts every buffered prefix into the filter.
    func flush() {
        for region in 0..<regionCount where fills[region] > 0 { empty(region: region) }
    }

    /// Inserts region `region`'s buffered prefixes and empties its buffer.
    private func empty(region: Int) {
        let buffer = buffers + region &* Self.bufferCapacity
        let count = fills[region]
        // The region's lines are asked for 8 prefixes ahead: the first touch of each misses.
        for index in 0..<Swift.min(8, count) { filter.prefetchBlock(of: buffer[index]) }
        for index in 0..<count {
            if index &+ 8 < count { filter.prefetchBlock(of: buffer[index &+ 8]) }
            filter.insert(buffer[index])
        }
        fills[region] = 0
    }
}
