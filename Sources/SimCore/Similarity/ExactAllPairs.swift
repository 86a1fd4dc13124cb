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
/// 2007): sorted shingle hashes are a random but global token order, and if |A ∩ B| ≥ ⌈t·|A|⌉
/// then A's first |A| − ⌈t·|A|⌉ + 1 hashes must meet B. Each document probes an inverted index
/// with that prefix only, candidates are deduplicated with a per-worker stamp array, and each
/// candidate is verified by an exact merge. For Jaccard, only prefixes are indexed (both sides
/// must meet) and a size filter drops pairs with min/max below t; containment and overlap index
/// every shingle.
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
        let chunks = _concurrentChunks(count: sets.count, threads: threads, minimumChunk: 16) { range in
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

/// The inverted index of all-pairs search: (hash, document) entries sorted by hash.
struct _PrefixIndex: Sendable {
    let keys: [UInt64]
    let documents: [Int32]

    init(sets: [ShingleSet], measure: SimilarityMeasure, threshold: Double, threads: Int) {
        var entries: [(key: UInt64, document: Int32)] = []
        var total = 0
        for set in sets {
            total += measure == .jaccard ? ExactAllPairs.prefixLength(count: set.count, threshold: threshold) : set.count
        }
        entries.reserveCapacity(total)
        for (document, set) in sets.enumerated() {
            let indexed = measure == .jaccard
                ? ExactAllPairs.prefixLength(count: set.count, threshold: threshold) : set.count
            for hash in set.hashes.prefix(indexed) {
                entries.append((hash, Int32(document)))
            }
        }
        entries.sort { ($0.key, $0.document) < ($1.key, $1.document) }
        keys = entries.map(\.key)
        documents = entries.map(\.document)
    }

    /// The candidates' verified pairs for the documents in `range`.
    func search(
        _ range: Range<Int>, sets: [ShingleSet], measure: SimilarityMeasure, threshold: Double
    ) -> [SimilarPair] {
        var found: [SimilarPair] = []
        var stamp = [Int32](repeating: -1, count: sets.count)
        keys.withUnsafeBufferPointer { keys in
            documents.withUnsafeBufferPointer { documents in
                for a in range {
                    let setA = sets[a]
                    let sizeA = setA.count
                    let probe = ExactAllPairs.prefixLength(count: sizeA, threshold: threshold)
                    for hash in setA.hashes.prefix(probe) {
                        var position = lowerBound(keys, hash)
                        while position < keys.count && keys[position] == hash {
                            let b = Int(documents[position])
                            position += 1
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
            }
        }
        return found
    }

    /// The first position whose key is not below `key`.
    private func lowerBound(_ keys: UnsafeBufferPointer<UInt64>, _ key: UInt64) -> Int {
        var low = 0
        var high = keys.count
        while low < high {
            let middle = (low + high) / 2
            if keys[middle] < key { low = middle + 1 } else { high = middle }
        }
        return low
    }
}
