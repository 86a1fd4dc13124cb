import Foundation

/// The deduplication engine: insert documents one by one or in batches, learn for each whether
/// it is new or a near-duplicate of an earlier one, and cluster everything seen so far.
///
/// **Pipeline.** Each document is shingled (``DeduplicationOptions/shingling``) and signed by
/// `Scheme` (default ``OnePermutationMinHash`` with k = 128). Candidates come from a
/// ``MinHashLSH`` (Jaccard) or a ``ContainmentIndex`` (containment / overlap), are confirmed by
/// the estimated or exact similarity (``DeduplicationOptions/Verification``), and every
/// confirmed pair is merged in a ``UnionFind``. A document's verdict names the most similar
/// earlier document (ties: the first inserted).
///
/// **Representatives.** Each cluster keeps its longest document (most UTF-8 bytes), ties going
/// to the first inserted; ``keptDocuments()`` is "keep one per cluster" in one call.
///
/// **Determinism.** A batch gives exactly the verdicts that inserting its documents one by one
/// would, on any number of threads.
///
/// **Threads.** Safe to call from several threads: shingling and signing run outside the lock;
/// one lock (`NSLock`) guards the index and the clusters while a batch is filed, queried and
/// verified (batch queries run in parallel while the lock is held).
///
/// ```swift
/// let deduplicator = Deduplicator()
/// deduplicator.insert(utf8: Array(page.utf8), id: "000").verdict      // .new
/// deduplicator.insert(utf8: Array(reprint.utf8), id: "001").verdict   // .duplicate(of: 0, similarity: 0.92)
/// deduplicator.keptDocuments()                                          // [0]
/// ```
public final class Deduplicator<Scheme: SignatureScheme>: @unchecked Sendable {
    // SAFETY: every mutable stored property is read and written only while `lock` is held.
    /// The signature scheme.
    public let scheme: Scheme
    /// The options every document is processed with.
    public let options: DeduplicationOptions
    let lock = NSLock()
    var state: _DeduplicatorState

    /// Creates an empty deduplicator.
    ///
    /// - Parameters:
    ///   - scheme: Any MinHash-family scheme (its ``SignatureScheme/length`` is k).
    ///   - options: Measure, threshold, verification, banding (default ``DeduplicationOptions/init()``).
    public init(scheme: Scheme, options: DeduplicationOptions = DeduplicationOptions()) {
        precondition(options.threshold > 0 && options.threshold < 1, "threshold must be in (0, 1)")
        self.scheme = scheme
        self.options = options
        state = _DeduplicatorState(signatureLength: scheme.length, options: options)
    }

    /// The number of documents inserted.
    public var count: Int { lock.withLock { state.byteCounts.count } }

    /// The banding of the Jaccard index (`nil` when the measure is containment).
    public var banding: BandingParameters? { lock.withLock { state.jaccardIndex?.banding } }

    /// The id given to `document` when it was inserted.
    public func id(of document: Int) -> String { lock.withLock { state.ids[document] } }

    /// Bytes held by signatures, set sizes, verified pairs, shingle sets (exact verification) and
    /// the index; document ids excluded.
    public var byteCount: Int { lock.withLock { state.byteCount } }

    /// Inserts one document.
    ///
    /// - Parameters:
    ///   - bytes: The text as UTF-8.
    ///   - id: A name for the document (kept, not interpreted).
    /// - Returns: Its number and verdict.
    @discardableResult
    public func insert(utf8 bytes: [UInt8], id: String = "") -> InsertionResult {
        insert(contentsOf: [Document(id: id, utf8: bytes)], threads: 1)[0]
    }

    /// Inserts one corpus document.
    @discardableResult
    public func insert(_ document: Document) -> InsertionResult {
        insert(contentsOf: [document], threads: 1)[0]
    }

    /// Inserts a batch of documents on `threads` cores.
    ///
    /// - Parameters:
    ///   - documents: The documents, inserted in order.
    ///   - threads: Workers (default ``DeduplicationOptions/threads``).
    /// - Returns: One result per document, as one-by-one inserts would give.
    /// - Complexity: Linear in the text, plus the candidates' verification.
    @discardableResult
    public func insert(contentsOf documents: [Document], threads: Int? = nil) -> [InsertionResult] {
        let threads = threads ?? options.threads
        let prepared = _PreparedBatch(documents: documents, scheme: scheme, options: options, threads: threads)
        return lock.withLock { state.file(prepared, scheme: scheme, options: options, threads: threads) }
    }

    /// The clusters of near-duplicates found so far.
    ///
    /// - Parameter includingSingletons: Whether documents with no duplicate appear as
    ///   one-member clusters (default `false`).
    /// - Returns: Clusters ordered by their first member.
    public func clusters(includingSingletons: Bool = false) -> [DuplicateCluster] {
        lock.withLock { state.clusters(minimumSize: includingSingletons ? 1 : 2) }
    }

    /// Every verified duplicate pair so far: `first` < `second`, with the verified similarity,
    /// sorted by `first`, then `second`.
    public func verifiedPairs() -> [SimilarPair] {
        lock.withLock { state.pairs.sorted { ($0.first, $0.second) < ($1.first, $1.second) } }
    }

    /// The documents to keep: one representative per cluster and every document without
    /// duplicates, in increasing order.
    public func keptDocuments() -> [Int] {
        clusters(includingSingletons: true).map(\.representative).sorted()
    }
}

extension Deduplicator where Scheme == OnePermutationMinHash {
    /// A deduplicator with the default scheme: one-permutation MinHash, k = 128, seed 0.
    ///
    /// - Parameter options: Measure, threshold, verification (default ``DeduplicationOptions/init()``).
    public convenience init(options: DeduplicationOptions = DeduplicationOptions()) {
        self.init(scheme: OnePermutationMinHash(length: 128, seed: 0), options: options)
    }
}

/// A batch's shingle-set sizes, signatures and (exact verification) shingle sets, made outside
/// the lock. Sizes cost a sort per document, so Jaccard with estimated verification, which
/// needs none, records only 0 (empty) or 1.
struct _PreparedBatch: Sendable {
    var ids: [String]
    var byteCounts: [Int]
    var sizes: [Int]
    var signatures: SignatureMatrix
    var sets: [ShingleSet]

    init(ids: [String], byteCounts: [Int], sizes: [Int], signatures: SignatureMatrix, sets: [ShingleSet]) {
        self.ids = ids
        self.byteCounts = byteCounts
        self.sizes = sizes
        self.signatures = signatures
        self.sets = sets
    }

    init(documents: [Document], scheme: some SignatureScheme, options: DeduplicationOptions, threads: Int) {
        let k = scheme.length
        let keepSets = options.verification == .exact
        let needSizes = keepSets || options.usesContainment
        let n = documents.count
        ids = documents.map(\.id)
        byteCounts = documents.map(\.utf8.count)
        var values = [UInt64](repeating: 0, count: n * k)
        let chunks: [([Int], [ShingleSet])] = values.withUnsafeMutableBufferPointer { output in
            let box = _SendableMutablePointer(base: output.baseAddress!)
            return _concurrentChunks(count: n, threads: threads, minimumChunk: 8) { range in
                let shingler = Shingler(options: options.shingling)
                let scratch = _ScratchBuffer<UInt64>()
                var sizes: [Int] = []
                var sets: [ShingleSet] = []
                for index in range {
                    documents[index].utf8.withUnsafeBytes { bytes in
                        shingler.withShingleHashes(ofUTF8: bytes) { hashes in
                            // SAFETY: row `index` belongs to this chunk only.
                            scheme.sign(hashes, into: UnsafeMutableBufferPointer(start: box.base + index * k, count: k))
                            guard needSizes else {
                                // Jaccard from signatures needs no set size: only "empty or not".
                                sizes.append(hashes.isEmpty ? 0 : 1)
                                return
                            }
                            guard keepSets else {
                                sizes.append(_distinctCount(hashes, scratch: scratch))
                                return
                            }
                            let set = ShingleSet(hashes)
                            sizes.append(set.count)
                            sets.append(set)
                        }
                    }
                }
                return (sizes, sets)
            }
        }
        sizes = chunks.flatMap(\.0)
        sets = chunks.flatMap(\.1)
        signatures = SignatureMatrix(length: k, values: values)
    }
}

/// The number of distinct values among `hashes`, by linear probing in a zeroed table of at
/// least twice as many slots (shingle hashes are uniform, so their low bits pick the slot);
/// O(n), where sorting would be O(n log n).
func _distinctCount(_ hashes: UnsafeBufferPointer<UInt64>, scratch: _ScratchBuffer<UInt64>) -> Int {
    guard hashes.count > 1 else { return hashes.count }
    var capacity = 16
    while capacity < hashes.count * 2 { capacity <<= 1 }
    let table = UnsafeMutableBufferPointer(rebasing: scratch.reserve(capacity)[0..<capacity])
    table.update(repeating: 0)
    let mask = capacity - 1
    var distinct = 0
    var sawZero = false
    for hash in hashes {
        guard hash != 0 else {
            sawZero = true
            continue
        }
        var slot = Int(truncatingIfNeeded: hash) & mask
        while table[slot] != 0 && table[slot] != hash { slot = (slot &+ 1) & mask }
        if table[slot] == 0 {
            table[slot] = hash
            distinct &+= 1
        }
    }
    return distinct + (sawZero ? 1 : 0)
}

/// Everything a deduplicator has filed; guarded by its lock.
struct _DeduplicatorState: Sendable {
    var jaccardIndex: MinHashLSH?
    var containmentIndex: ContainmentIndex?
    var signatures: [UInt64] = []
    var sizes: [Int32] = []
    var byteCounts: [Int] = []
    var ids: [String] = []
    var sets: [ShingleSet] = []
    var unionFind = UnionFind()
    var pairs: [SimilarPair] = []

    init(signatureLength: Int, options: DeduplicationOptions) {
        if options.usesContainment {
            containmentIndex = ContainmentIndex(
                signatureLength: signatureLength, maximumRowsPerBand: Swift.min(options.maximumRowsPerBand, signatureLength),
                falsePositiveWeight: options.falsePositiveWeight, falseNegativeWeight: options.falseNegativeWeight)
        } else {
            jaccardIndex = MinHashLSH(
                signatureLength: signatureLength,
                banding: options.banding ?? .optimal(
                    threshold: options.threshold, signatureLength: signatureLength,
                    falsePositiveWeight: options.falsePositiveWeight, falseNegativeWeight: options.falseNegativeWeight))
        }
    }

    var byteCount: Int {
        signatures.count * 8 + sizes.count * 4 + byteCounts.count * 8 + unionFind.count * 8 + pairs.count * 24
            + sets.reduce(0) { $0 + $1.count * 8 }
            + (jaccardIndex?.byteCount ?? 0) + (containmentIndex?.byteCount ?? 0)
    }

    /// Files a prepared batch: index it, query each document against the earlier ones, verify,
    /// merge clusters.
    mutating func file(
        _ batch: _PreparedBatch, scheme: some SignatureScheme, options: DeduplicationOptions, threads: Int
    ) -> [InsertionResult] {
        let first = byteCounts.count
        let n = batch.ids.count
        signatures.append(contentsOf: batch.signatures.values)
        sizes.append(contentsOf: batch.sizes.map { Int32($0) })
        byteCounts.append(contentsOf: batch.byteCounts)
        ids.append(contentsOf: batch.ids)
        sets.append(contentsOf: batch.sets)
        for _ in 0..<n { unionFind.append() }
        jaccardIndex?.insert(contentsOf: batch.signatures, threads: threads)
        containmentIndex?.insert(contentsOf: batch.signatures, sizes: batch.sizes, threads: threads)

        let snapshot = self
        let matches: [[(document: Int, others: [(Int, Double)])]] = _concurrentChunks(
            count: n, threads: threads, minimumChunk: 16
        ) { range in
            range.map { offset in
                let document = first + offset
                return (document, snapshot.verifiedMatches(of: document, scheme: scheme, options: options))
            }
        }
        var results: [InsertionResult] = []
        results.reserveCapacity(n)
        for chunk in matches {
            for (document, others) in chunk {
                var best: (Int, Double)?
                for (other, similarity) in others {
                    unionFind.union(document, other)
                    pairs.append(SimilarPair(first: other, second: document, similarity: similarity))
                    if best == nil || similarity > best!.1 { best = (other, similarity) }
                }
                results.append(InsertionResult(
                    document: document, verdict: best.map { .duplicate(of: $0.0, similarity: $0.1) } ?? .new))
            }
        }
        return results
    }

    /// The earlier documents (smaller numbers) whose verified similarity with `document`
    /// reaches the threshold, in increasing order.
    func verifiedMatches(of document: Int, scheme: some SignatureScheme, options: DeduplicationOptions) -> [(Int, Double)] {
        let k = scheme.length
        var found: [(Int, Double)] = []
        signatures.withUnsafeBufferPointer { all in
            let query = UnsafeBufferPointer(rebasing: all[document * k..<(document + 1) * k])
            let check: (Int) -> Void = { other in
                guard other < document else { return }
                let similarity = similarity(document, other, all: all, k: k, scheme: scheme, options: options)
                if similarity >= options.threshold { found.append((other, similarity)) }
            }
            if let index = jaccardIndex {
                index.forEachCandidate(of: query, check)
            } else if let index = containmentIndex {
                index.forEachCandidate(
                    of: query, size: Int(sizes[document]), threshold: options.threshold, direction: .either, check)
            }
        }
        return found
    }

    /// The verified similarity of two filed documents under the options' measure.
    func similarity(
        _ a: Int, _ b: Int, all: UnsafeBufferPointer<UInt64>, k: Int, scheme: some SignatureScheme,
        options: DeduplicationOptions
    ) -> Double {
        if options.verification == .exact {
            return options.usesContainment ? sets[a].overlapCoefficient(with: sets[b]) : sets[a].jaccard(with: sets[b])
        }
        let jaccard = Swift.min(1, Swift.max(0, scheme.estimatedJaccard(
            UnsafeBufferPointer(rebasing: all[a * k..<(a + 1) * k]),
            UnsafeBufferPointer(rebasing: all[b * k..<(b + 1) * k]))))
        guard options.usesContainment else { return jaccard }
        let sizeA = Int(sizes[a])
        let sizeB = Int(sizes[b])
        return SignatureEstimators.containment(
            fromJaccard: jaccard, sizeOfA: Swift.min(sizeA, sizeB), sizeOfB: Swift.max(sizeA, sizeB))
    }

    mutating func clusters(minimumSize: Int) -> [DuplicateCluster] {
        unionFind.groups(minimumSize: minimumSize).map { members in
            var representative = members[0]
            for member in members where byteCounts[member] > byteCounts[representative] { representative = member }
            return DuplicateCluster(representative: representative, members: members)
        }
    }
}
