import Foundation

/// The deduplication engine: insert documents one by one or in batches, learn for each whether
/// it is new or a near-duplicate of an earlier one, and cluster everything seen so far.
///
/// **Pipeline.** Each document is shingled (``DeduplicationOptions/shingling``), signed by
/// `Scheme` (default ``OnePermutationMinHash`` with k = 128) and keyed for the index, all on the
/// caller's cores before the engine's lock is taken. Under the lock the batch is stored once and
/// filed in a ``MinHashLSH`` (Jaccard) or a ``ContainmentIndex`` (overlap coefficient); each
/// document's candidates come from the same keys it was filed under, are confirmed by the
/// estimated or exact similarity (``DeduplicationOptions/Verification``), and every confirmed
/// pair is merged in a ``UnionFind``. A document's verdict names the most similar earlier
/// document (ties: the first inserted).
///
/// **Clusters by id.** ``assignments()`` hands back each document's cluster (labelled by its
/// member with the smallest id, in byte-wise UTF-8 order), whether it is the one to keep, and its
/// verdict; ``id(of:)`` names any document. Callers need keep nothing of their own.
///
/// **Representatives.** Each cluster keeps its longest document (most UTF-8 bytes), ties going
/// to the first inserted; ``keptDocuments()`` is "keep one per cluster" in one call.
///
/// **Determinism.** A batch gives exactly the verdicts that inserting its documents one by one
/// would, on any number of threads.
///
/// **Threads.** Safe to call from several threads: shingling, signing and keying run outside the
/// lock; one lock (`NSLock`) guards the store, the index and the clusters while a batch is filed,
/// queried and verified (batch queries run in parallel while the lock is held).
///
/// ```swift
/// let deduplicator = Deduplicator()
/// deduplicator.insert(utf8: Array(page.utf8), id: "000").verdict      // .new
/// deduplicator.insert(utf8: Array(reprint.utf8), id: "001").verdict   // .duplicate(of: 0, similarity: 0.92)
/// deduplicator.keptDocuments()                                          // [0]
/// ```
public final class Deduplicator<Scheme: SignatureScheme>: @unchecked Sendable {
    // SAFETY: `state` is read and written only while `lock` is held; `scheme`, `options` and
    // `keying` are immutable.
    /// The signature scheme.
    public let scheme: Scheme
    /// The options every document is processed with.
    public let options: DeduplicationOptions
    /// How a signature becomes the index's keys (fixed at creation).
    let keying: _IndexKeying
    let lock = NSLock()
    var state: _DeduplicatorState

    /// Creates an empty deduplicator.
    ///
    /// - Parameters:
    ///   - scheme: Any MinHash-family scheme (its ``SignatureScheme/signatureLength`` is k).
    ///   - options: Measure, threshold, verification, banding (default ``DeduplicationOptions/init()``).
    public init(scheme: Scheme, options: DeduplicationOptions = DeduplicationOptions()) {
        precondition(options.threshold > 0 && options.threshold <= 1, "threshold must be in (0, 1]")
        precondition(
            _SignatureStore.supportedBits.contains(options.verificationBits), "verificationBits must be 8, 16 or 64")
        self.scheme = scheme
        self.options = options
        let k = scheme.signatureLength
        let index: any _CandidateIndex
        switch options.usesContainment ? DeduplicationOptions.Measure.overlap : .jaccard {
        case .overlap:
            index = ContainmentIndex(
                signatureLength: k, maximumRowsPerBand: Swift.min(options.maximumRowsPerBand, k),
                falsePositiveWeight: options.falsePositiveWeight, falseNegativeWeight: options.falseNegativeWeight)
        case .jaccard:
            // Exact duplicates (threshold 1) under either measure: the optimum is one band of all
            // k rows, so only identical signatures become candidates.
            index = MinHashLSH(
                signatureLength: k,
                banding: options.banding ?? .optimal(
                    threshold: options.threshold, signatureLength: k,
                    falsePositiveWeight: options.falsePositiveWeight, falseNegativeWeight: options.falseNegativeWeight))
        }
        keying = index.keying
        state = _DeduplicatorState(index: index, signatureLength: k, verificationBits: options.verificationBits)
    }

    /// The number of documents inserted.
    public var count: Int { lock.withLock { state.documents.count } }

    /// The banding of the Jaccard index (`nil` when the measure is the overlap coefficient).
    public var banding: BandingParameters? { lock.withLock { state.filed.index.jaccardBanding } }

    /// The id given to `document` when it was inserted.
    ///
    /// - Parameter document: A document number, `0..<count`.
    public func id(of document: Int) -> String { lock.withLock { state.documents.id(of: document) } }

    /// The first document inserted with the id `id` (byte-wise equal), or `nil` if none was.
    ///
    /// The engine keeps a hash index of document numbers over the ids it already holds (no
    /// second copy of them), so callers that need unique ids, like `simdedup dedupe`, can refuse
    /// a repeat without keeping ids of their own.
    ///
    /// ```swift
    /// let deduplicator = Deduplicator()
    /// deduplicator.insert(utf8: Array("some text".utf8), id: "a")
    /// deduplicator.document(withID: "a")   // 0
    /// deduplicator.document(withID: "b")   // nil
    /// ```
    ///
    /// - Parameter id: The id to look for.
    /// - Returns: Its first document's number.
    /// - Complexity: O(id length) expected.
    public func document(withID id: String) -> Int? {
        lock.withLock { state.documents.firstDocument(withID: id) }
    }

    /// Checks that the engine's parts agree (see the loader): package access, for the damage
    /// tests and fuzz targets.
    ///
    /// - Throws: ``IndexFileError/corrupt(_:)`` naming the first violation.
    package func _checkInvariants() throws(IndexFileError) {
        lock.lock()
        defer { lock.unlock() }
        try state._checkInvariants(options: options)
    }

    /// Bytes held by signatures, set sizes, shingle sets (exact verification), the index, the
    /// ids and lengths, and the clustering.
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
    ///
    /// - Parameter document: The document.
    /// - Returns: Its number and verdict.
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
        let prepared = _PreparedBatch(documents: documents, scheme: scheme, options: options, keying: keying, threads: threads)
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

    /// Every document's place in the clusters found so far, in document order: its cluster's
    /// label (the member whose id is smallest in byte-wise UTF-8 order, the first among equal
    /// ids), whether it is its cluster's representative, and its verdict.
    ///
    /// ```swift
    /// let deduplicator = Deduplicator()
    /// deduplicator.insert(contentsOf: [page, reprint])   // ids "b-page" and "a-reprint"
    /// deduplicator.assignments().map(\.cluster)         // [1, 1]: labelled by "a-reprint"
    /// ```
    ///
    /// - Returns: One assignment per document.
    /// - Complexity: O(n α(n) + pairs + n · id length).
    public func assignments() -> [DocumentAssignment] {
        lock.withLock { state.assignments() }
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
        self.init(scheme: OnePermutationMinHash(signatureLength: 128, seed: 0), options: options)
    }
}
