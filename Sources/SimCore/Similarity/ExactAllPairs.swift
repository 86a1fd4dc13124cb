import SimCoreInternals

/// Two documents (by index) and their exact similarity.
public struct SimilarPair: Sendable, Hashable, Codable {
    /// Index of the first document. For symmetric measures the smaller index; for containment,
    /// the document that is contained.
    public let first: Int
    /// Index of the second document. For containment, the document that contains `first`.
    public let second: Int
    /// The measure's exact value, at least the search threshold.
    public let similarity: Double

    /// Creates a pair.
    public init(first: Int, second: Int, similarity: Double) {
        self.first = first
        self.second = second
        self.similarity = similarity
    }
}

/// Exact all-pairs similarity search: the ground truth that approximate methods are scored against.
///
/// Finds every pair of documents whose measure reaches a threshold without comparing all N²
/// pairs and without N² memory, by *prefix filtering* (Chaudhuri et al. 2006; Bayardo et al.
/// 2007): under one global order of the shingles, if |A ∩ B| ≥ ⌈t·|A|⌉ then the first
/// |A| − ⌈t·|A|⌉ + 1 shingles of A must meet B. The order is by document frequency, rarest first
/// (ties by a key number fixed by the input, never by the thread count), so prefixes hold rare
/// shingles and boilerplate that most documents share falls outside them. The frequencies are
/// counted shard by shard (the hashes' top bits pick the shard), each shard in one core's
/// cache, on all cores. Each document probes an inverted index with its prefix only, candidates
/// are deduplicated with a per-worker stamp array, and each candidate is verified by an exact
/// merge. For Jaccard, only prefixes are indexed (both sides must meet) and a size filter drops
/// pairs with min/max below t; containment and overlap index every shingle.
///
/// Work is split across threads in chunks of documents; results are sorted, so they never
/// depend on the thread count.
public enum ExactAllPairs {
    /// Every pair whose `measure` is at least `threshold`.
    ///
    /// - Parameters:
    ///   - sets: The documents' shingle sets.
    ///   - measure: Jaccard and overlap give unordered pairs (`first < second`); containment
    ///     gives ordered pairs where `first` is contained in `second`.
    ///   - threshold: In `0 < threshold ≤ 1`.
    ///   - threads: Worker threads (default: all cores).
    /// - Returns: The pairs, sorted by `first`, then `second`.
    /// - Complexity: O(total shingles · log) to index, plus the candidates' merges; memory is
    ///   linear in the number of indexed shingles plus the result.
    public static func pairs(
        in sets: [ShingleSet], measure: SimilarityMeasure, threshold: Double,
        threads: Int = Parallelism.defaultThreadCount
    ) -> [SimilarPair] {
        precondition(threshold > 0 && threshold <= 1, "threshold must be in (0, 1]")
        precondition(sets.count < Int(Int32.max), "too many documents")
        let index = _PrefixIndex(sets: sets, measure: measure, threshold: threshold, threads: threads)
        let chunks = concurrentChunks(count: sets.count, threads: threads, minimumChunk: 16) { range in
            index.search(range, sets: sets, measure: measure, threshold: threshold)
        }
        var pairs = chunks.flatMap { $0 }
        pairs.sort { ($0.first, $0.second) < ($1.first, $1.second) }
        return pairs
    }

    /// The number of hashes of a set of `count` that a match at `threshold` must share with it
    /// in the worst case, `⌈t·count⌉`, made robust to rounding, and the prefix length it implies.
    static func prefixLength(count: Int, threshold: Double) -> Int {
        let required = Swift.max(1, Int((threshold * Double(count) - 1e-9).rounded(.up)))
        return Swift.max(0, count - required + 1)
    }
}
