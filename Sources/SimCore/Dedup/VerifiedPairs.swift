import SimCoreInternals

/// A deduplicator's verified pairs in 16 bytes each: the two document numbers as `Int32`
/// (numbers fit 32 bits: ``UnionFind`` numbers its elements so) and the similarity whole,
/// where an array of ``SimilarPair`` (two `Int`s) took 24, in pages (``PagedColumn``) that grow
/// without doubling. Read back as ``SimilarPair``s.
///
/// ```swift
/// var pairs = _VerifiedPairs()
/// pairs.append(SimilarPair(first: 2, second: 7, similarity: 0.9))
/// pairs[0].second   // 7
/// ```
struct _VerifiedPairs: RandomAccessCollection, Sendable {
    private struct Stored: Sendable {
        let first: Int32
        let second: Int32
        let similarity: Double
    }

    private var stored = PagedColumn<Stored>()

    /// No pairs.
    init() {}

    /// The pairs of `pairs`, in order.
    init(_ pairs: some Sequence<SimilarPair>) {
        for pair in pairs { append(pair) }
    }

    /// 0.
    var startIndex: Int { 0 }
    /// The number of pairs.
    var endIndex: Int { stored.count }

    /// Pair `index`.
    subscript(index: Int) -> SimilarPair {
        let pair = stored[index]
        return SimilarPair(first: Int(pair.first), second: Int(pair.second), similarity: pair.similarity)
    }

    /// Bytes held by the pairs.
    var byteCount: Int { stored.byteCount }

    /// Appends `pair`, whose documents are numbered below 2³¹.
    mutating func append(_ pair: SimilarPair) {
        precondition(
            pair.first >= 0 && pair.first <= Int(Int32.max) && pair.second >= 0 && pair.second <= Int(Int32.max),
            "document numbers fit 32 bits")
        stored.append(Stored(first: Int32(pair.first), second: Int32(pair.second), similarity: pair.similarity))
    }
}
