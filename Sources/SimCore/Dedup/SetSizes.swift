/// Each filed document's distinct-shingle count (its set size), as verification reads it, in
/// a bit a document while every count is 0 or 1 and in 4 bytes a document from the first
/// larger one on.
///
/// Jaccard with estimated verification needs no counts, so its batches record only 0 (no
/// shingles) or 1 (``_PreparedBatch``): a bit each, where `Int32`s took 4 bytes (4.3 MB at
/// 1,080,000 paragraphs). The overlap measure and exact verification record whole counts; the
/// first count above 1 turns the bits into counts, so a size always reads back as it came.
///
/// ```swift
/// var sizes = _SetSizes()
/// sizes.append(contentsOf: [1, 0, 1])   // bits
/// sizes.append(contentsOf: [57])        // counts from now on
/// sizes[1]                              // 0
/// sizes[3]                              // 57
/// ```
struct _SetSizes: RandomAccessCollection, Sendable {
    /// The counts, once one is above 1; empty while ``isBits``.
    private var counts: [Int32] = []
    /// Bit `i` is set where document `i` has shingles, while every count is 0 or 1.
    private var nonEmpty: [UInt64] = []
    /// Whether the sizes are kept as bits (every count so far 0 or 1).
    private(set) var isBits = true
    /// The number of documents.
    private(set) var count = 0

    /// 0.
    var startIndex: Int { 0 }
    /// The number of documents.
    var endIndex: Int { count }

    /// No documents.
    init() {}

    /// Document `document`'s set size.
    @inline(__always)
    subscript(document: Int) -> Int {
        if isBits { return Int(truncatingIfNeeded: nonEmpty[document >> 6] >> UInt64(document & 63) & 1) }
        return Int(counts[document])
    }

    /// Bytes held.
    var byteCount: Int { isBits ? nonEmpty.count * 8 : counts.count * 4 }

    /// Appends the sizes of `sizes`, each in `0..<Int32.max`.
    mutating func append(contentsOf sizes: some Collection<Int>) {
        precondition(sizes.allSatisfy { $0 >= 0 && $0 < Int(Int32.max) }, "set sizes in 0..<2^31 - 1")
        if isBits && sizes.contains(where: { $0 > 1 }) { keepCounts() }
        guard isBits else {
            counts.append(contentsOf: sizes.lazy.map { Int32($0) })
            count = counts.count
            return
        }
        nonEmpty.reserveCapacity((count + sizes.count + 63) >> 6)
        for size in sizes {
            if count & 63 == 0 { nonEmpty.append(0) }
            nonEmpty[count >> 6] |= UInt64(size) << UInt64(count & 63)
            count += 1
        }
    }

    /// Turns the bits into counts.
    private mutating func keepCounts() {
        counts = (0..<count).map { Int32(self[$0]) }
        nonEmpty = []
        isBits = false
    }
}
